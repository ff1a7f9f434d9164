"""import-linter contract types of our own (pyproject.toml, [tool.importlinter]).

`surface`: each package listed shows other packages only its public modules. A module not
listed is internal to its package: a new module is internal until someone says otherwise,
so nobody has to remember to protect it.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output


class SurfaceContract(Contract):
    """Configuration: `surfaces`, lines of `package: public.module other.module ...`
    (the package itself is always public: it is its facade)."""

    type_name = "surface"
    surfaces = fields.ListField(subfield=fields.StringField())

    def _public(self) -> dict[str, frozenset[str]]:
        found: dict[str, frozenset[str]] = {}
        for line in self.surfaces:  # type: ignore[attr-defined]
            package, _, modules = str(line).partition(":")
            found[package.strip()] = frozenset({package.strip(), *modules.split()})
        return found

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        public = self._public()
        illegal: list[tuple[str, str, str]] = []
        for package, allowed in sorted(public.items()):
            inside = {package, *graph.find_descendants(package)}
            for imported in sorted(inside - allowed):
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if importer not in inside:
                        lines = _lines(graph, importer, imported)
                        illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Internal modules imported from outside their package:", bold=False)
        output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(f"- {importer} -> {imported} (l.{lines})", bold=False)
        output.new_line()


def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(str(d["line_number"]) for d in details)
