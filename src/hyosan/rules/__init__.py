"""Rules of the model, one concern per module (see docs/architecture.md)."""
