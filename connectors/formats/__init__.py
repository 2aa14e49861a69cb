"""Built-in export formats. Every module here is imported, and registers itself with
`@connectors.base.register`: adding a format is adding one module (plus its test)."""

import importlib
import pkgutil

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_module.name}")
