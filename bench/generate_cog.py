"""Generate official-format files the size of the whole of France, for the import benchmark.

    python bench/generate_cog.py OUTPUT_DIR [--communes 37500] [--epci 1250]

Writes v_region_2025.csv and v_departement_2025.csv (copied from the shipped extract),
v_commune_2025.csv (COM rows spread over the 101 départements, plus communes déléguées and
associées pointing at them, as in the real file: about 6 % of the rows) and
Intercommunalite_Metropole_au_01-01-2025.xlsx (EPCI sheet and Composition_communale sheet,
with INSEE's title block). Names are generated; codes and structure follow the real formats.
"""

import argparse
import csv
import random
import shutil
from pathlib import Path

from openpyxl import Workbook

SHIPPED = Path(__file__).resolve().parent.parent / "maillage" / "territories" / "data" / "cog"
SYLLABLES = [
    "ker",
    "plou",
    "lan",
    "saint",
    "mont",
    "ville",
    "bourg",
    "val",
    "roche",
    "font",
    "beau",
    "cour",
]


def siren(prefix: int) -> str:
    """A 9-digit SIREN with a valid Luhn key."""
    body = f"{prefix:08d}"
    for key in range(10):
        candidate = body + str(key)
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError


def departements() -> list[tuple[str, str]]:
    with (SHIPPED / "v_departement_2025.csv").open() as file:
        return [(row["DEP"], row["REG"]) for row in csv.DictReader(file)]


def generate(output: Path, communes: int, epcis: int, seed: int = 2025) -> None:
    random.seed(seed)
    output.mkdir(parents=True, exist_ok=True)
    for name in ("v_region_2025.csv", "v_departement_2025.csv"):
        shutil.copy(SHIPPED / name, output / name)
    # Metropolitan départements only: overseas ones have two-digit commune numbers, too few here.
    deps = [(dep, reg) for dep, reg in departements() if len(dep) == 2]
    delegated_share = 0.06
    main_count = int(communes * (1 - delegated_share))
    rows = []
    main_codes = []
    for index in range(main_count):
        dep, reg = deps[index % len(deps)]
        number = index // len(deps) + 1
        code = f"{dep}{number:03d}"
        name = "".join(random.choice(SYLLABLES) for _ in range(3)).capitalize()
        rows.append(
            [
                "COM",
                code,
                reg,
                dep,
                f"{dep}D",
                "",
                str(random.choice([0, 1, 2, 3, 4])),
                name.upper(),
                name,
                name,
                "",
                "",
            ]
        )
        main_codes.append(code)
    # Communes déléguées and associées take free numbers (800 and up) of their parent's département.
    next_free: dict[str, int] = {}
    for index in range(communes - main_count):
        parent = random.choice(main_codes)
        dep = parent[:2]
        number = next_free.get(dep, 800)
        next_free[dep] = number + 1
        code = f"{dep}{number:03d}"
        name = "".join(random.choice(SYLLABLES) for _ in range(2)).capitalize()
        typecom = "COMD" if index % 8 else "COMA"
        rows.append([typecom, code, "", "", "", "", "0", name.upper(), name, name, "", parent])
    with (output / "v_commune_2025.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "TYPECOM",
                "COM",
                "REG",
                "DEP",
                "CTCD",
                "ARR",
                "TNCC",
                "NCC",
                "NCCENR",
                "LIBELLE",
                "CAN",
                "COMPARENT",
            ]
        )
        writer.writerows(rows)

    workbook = Workbook(write_only=True)
    epci_codes = [siren(20_000_000 + i) for i in range(epcis)]
    title = [
        ["Intercommunalités au 1er janvier 2025"],
        ["Découpage de la France en EPCI à fiscalité propre"],
        ["Source : Insee, Code officiel géographique"],
        [],
        [],
    ]
    sheet = workbook.create_sheet("EPCI")
    for line in title:
        sheet.append(line)
    sheet.append(["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"])
    for index, code in enumerate(epci_codes):
        sheet.append(
            [code, f"Communauté de communes n° {index}", random.choice(["CC", "CC", "CC", "CA"]), 0]
        )
    sheet = workbook.create_sheet("Composition_communale")
    for line in title:
        sheet.append(line)
    sheet.append(["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"])
    for index, code in enumerate(main_codes):
        sheet.append([code, "", epci_codes[index * epcis // len(main_codes)], "", "", ""])
    workbook.save(output / "Intercommunalite_Metropole_au_01-01-2025.xlsx")
    print(f"{len(rows)} commune rows, {epcis} EPCI, {len(main_codes)} composition rows in {output}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--communes", type=int, default=37_500)
    parser.add_argument("--epci", type=int, default=1_250)
    arguments = parser.parse_args()
    generate(arguments.output, arguments.communes, arguments.epci)
