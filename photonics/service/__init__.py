"""HTTP service for system models: link budgets and board queries over FastAPI.

:func:`create_app` builds the application; :func:`serve_in_thread` runs it with uvicorn on
a loopback port in a background thread (for tests, benchmarks and notebooks).
"""

from photonics.service.app import create_app
from photonics.service.server import ServerHandle, serve_in_thread

__all__ = ["create_app", "serve_in_thread", "ServerHandle"]
