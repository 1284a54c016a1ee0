"""A trivial event loop: asyncio's own selector loop under another name.

loopspec checks it through its factory, ``mypkg:new_event_loop``. It behaves as CPython's loop
does, so it deviates from the documentation where CPython's does, no more: its expectations
file (loopspec-expectations.json) says where, and why.
"""
import asyncio

__all__ = ["MyEventLoop", "new_event_loop"]
__version__ = "0.1.0"


class MyEventLoop(asyncio.SelectorEventLoop):
    """asyncio's selector event loop, unchanged."""


def new_event_loop():
    """Returns a new MyEventLoop: the factory given to ``loopspec --loop``."""
    return MyEventLoop()
