"""Built-in KPI families. Every module here is imported and registers its KPIs with
`metrics.kpi.register`: adding a family is adding one module (plus its section in
docs/METRICS.md, its labels in i18n/*/kpis.json and its tests)."""

import importlib
import pkgutil

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_module.name}")
