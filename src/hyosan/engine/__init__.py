"""The outbreak engine: the step plan and one module per phase (Numba kernels)."""
