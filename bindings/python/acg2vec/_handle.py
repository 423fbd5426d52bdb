"""Objects that own a C handle: freed by close(), by leaving a `with` block, or, as a backstop,
when the garbage collector takes them."""
from . import _native


class Handle:
    _free_function = ""  # the C function that frees this kind of handle

    def __init__(self, pointer):
        self._pointer = pointer

    @property
    def _handle(self):
        if self._pointer is None:
            raise ValueError(f"this {type(self).__name__} is closed")
        return self._pointer

    @property
    def closed(self):
        return self._pointer is None

    def close(self):
        """Frees the C object now; later calls on this object raise ValueError. Idempotent."""
        pointer, self._pointer = getattr(self, "_pointer", None), None
        if pointer:
            getattr(_native.lib, self._free_function)(pointer)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass
