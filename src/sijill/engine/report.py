"""`sijill report`: a reconciliation output folder as one Excel workbook or CSV files.

Every label a reader sees is in LABELS, in French and Arabic (docs/report.md). Findings are
never loaded whole: counted per kind in SQL, only each kind's first FIRST_ROWS rows are read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from sijill.domain.contract import FINDING_COLUMNS, SPLIT_COLUMNS
from sijill.engine.extracts.sources import sql_string
from sijill.engine.reconcile import funnel
from sijill.engine.reconcile.anomalies import INDICATORS
from sijill.engine.reconcile.anomalies import SCHEMA as ANOMALY_SCHEMA
from sijill.engine.reconcile.findings import KINDS
from sijill.engine.sheets import Sheet, write_csv, write_xlsx

FORMATS = ("xlsx", "csv")
LEVELS = ("national", "region", "province", "commune", "annex")
FIRST_ROWS = 1_000  # findings shown per kind
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows minus the header
REQUIRED = {
    "funnel": funnel.COLUMNS,
    "findings": FINDING_COLUMNS,
    "anomalies": tuple(ANOMALY_SCHEMA.names),
    "split_suspects": SPLIT_COLUMNS,
}
# key -> (French, Arabic): sheets, columns, finding kinds (what to do), indicators, parameters.
LABELS: dict[str, tuple[str, str]] = {
    # sheets
    "national": ("Entonnoir national", "المسار الوطني"),
    "region": ("Entonnoir régions", "المسار حسب الجهات"),
    "province": ("Entonnoir provinces", "المسار حسب العمالات والأقاليم"),
    "commune": ("Entonnoir communes", "المسار حسب الجماعات"),
    "annex": ("Entonnoir annexes", "المسار حسب الملحقات الإدارية"),
    "findings": ("Constats", "الملاحظات"),
    "anomalies": ("Anomalies", "الحالات غير العادية"),
    "split_suspects": ("Ménages scindés", "الأسر المشتبه في تقسيمها"),
    "parameters": ("Paramètres", "المعايير"),
    # funnel columns
    "code": ("Code", "الرمز"),
    "level": ("Niveau", "المستوى"),
    "name": ("Territoire", "الوحدة الترابية"),
    "name_fr": ("Nom (français)", "الاسم بالفرنسية"),
    "name_ar": ("Nom (arabe)", "الاسم بالعربية"),
    "rnp_persons": ("Personnes vivantes au RNP", "الأشخاص الأحياء في السجل الوطني للسكان"),
    "rnp_in_rsu": ("dont inscrites au RSU", "منهم المسجلون في السجل الاجتماعي الموحد"),
    "rnp_not_in_rsu": ("dont absentes du RSU", "منهم غير المسجلين في السجل الاجتماعي الموحد"),
    "rsu_households": ("Ménages RSU", "أسر السجل الاجتماعي الموحد"),
    "rsu_persons": ("Membres RSU", "أفراد السجل الاجتماعي الموحد"),
    "rsu_id_unknown": (
        "Membres RSU sans IDCS connu du RNP",
        "أفراد بلا معرف معروف في السجل الوطني",
    ),
    "rsu_mismatch": ("Membres RSU divergents du RNP", "أفراد تختلف بياناتهم عن السجل الوطني"),
    "rsu_single_households": ("Ménages d'une personne", "أسر من فرد واحد"),
    "rsu_single_share": ("Part des ménages d'une personne", "نسبة الأسر من فرد واحد"),
    "eligible_households": ("Ménages éligibles AMO Tadamon", "الأسر المؤهلة لأمو تضامن"),
    "eligible_persons": ("Personnes des ménages éligibles", "أفراد الأسر المؤهلة"),
    "amo_files": ("Dossiers AMO", "ملفات أمو تضامن"),
    "amo_beneficiaries": ("Bénéficiaires AMO", "المستفيدون من أمو تضامن"),
    "amo_not_in_rsu": ("Bénéficiaires absents du ménage RSU", "مستفيدون غير مسجلين في الأسرة"),
    "amo_mismatch": ("Bénéficiaires divergents du RSU", "مستفيدون تختلف بياناتهم عن السجل"),
    "amo_ineligible": ("Bénéficiaires de ménages non éligibles", "مستفيدون من أسر غير مؤهلة"),
    "amo_pending_stale": ("Dossiers en attente hors délai", "ملفات تنتظر المصادقة بعد الأجل"),
    "amo_sla_breached": ("Dossiers hors délai CNSS", "ملفات تجاوزت أجل الصندوق"),
    "amo_accepted": ("Dossiers acceptés", "ملفات مقبولة"),
    "amo_rejected": ("Dossiers rejetés", "ملفات مرفوضة"),
    # findings, anomalies and split suspects columns
    "kind": ("Type de constat", "نوع الملاحظة"),
    "source": ("Registre", "السجل"),
    "row_id": ("Identifiant de ligne", "معرف السطر"),
    "idcs": ("IDCS", "المعرف المدني والاجتماعي الرقمي"),
    "household_id": ("Ménage RSU", "الأسرة"),
    "amo_file_id": ("Dossier AMO", "ملف أمو تضامن"),
    "annex_code": ("Annexe", "الملحقة الإدارية"),
    "detail": ("Détail", "التفاصيل"),
    "count": ("Nombre", "العدد"),
    "action_fr": ("Que faire (français)", "الإجراء (بالفرنسية)"),
    "action_ar": ("Que faire (arabe)", "الإجراء (بالعربية)"),
    "indicator": ("Indicateur", "المؤشر"),
    "meaning_fr": ("Signification (français)", "المعنى (بالفرنسية)"),
    "meaning_ar": ("Signification (arabe)", "المعنى (بالعربية)"),
    "observed": ("Observé", "القيمة الملاحظة"),
    "expected": ("Attendu", "القيمة المتوقعة"),
    "p_value": ("p-valeur", "القيمة الاحتمالية"),
    "q_value": ("q-valeur (FDR)", "القيمة الاحتمالية المعدلة"),
    "flagged": ("Signalée", "مرصودة"),
    "cluster_id": ("Groupe suspect", "المجموعة المشتبه بها"),
    "reason": ("Motif", "السبب"),
    # finding kinds: what it is and what to do
    "RSU_ID_UNKNOWN": (
        "Membre RSU sans IDCS valide : compléter ou corriger l'IDCS d'après la CNIE.",
        "فرد بلا معرف رقمي صحيح: إتمام المعرف أو تصحيحه من البطاقة الوطنية أو عقد الازدياد.",
    ),
    "RSU_MISMATCH": (
        "Sexe, naissance ou nom différents du RNP : vérifier la pièce d'identité, corriger le RSU.",
        "الجنس أو تاريخ الازدياد أو الاسم يختلف عن السجل الوطني: التحقق من الهوية وتصحيح السجل.",
    ),
    "RNP_NOT_IN_RSU": (
        "Personne du RNP absente du RSU : l'informer et l'inviter à s'inscrire avec son ménage.",
        "شخص غير مسجل في السجل الاجتماعي الموحد: إخباره ودعوته إلى التسجيل مع أسرته.",
    ),
    "AMO_NOT_IN_RSU": (
        "Absent du ménage RSU déclaré : mettre à jour le ménage au RSU avant l'envoi à la CNSS.",
        "مستفيد غير مسجل في الأسرة المصرح بها: تحيين الأسرة في السجل قبل الإرسال إلى الصندوق.",
    ),
    "AMO_MISMATCH": (
        "Bénéficiaire différent du RSU : corriger le dossier ou le RSU pour éviter le rejet CNSS.",
        "بيانات المستفيد تختلف عن السجل: تصحيح الملف أو السجل لتفادي رفض الصندوق.",
    ),
    "AMO_INELIGIBLE": (
        "Ménage au-dessus du seuil : vérifier l'indice et informer le ménage.",
        "أسرة يتجاوز مؤشرها العتبة: التحقق من المؤشر وإخبار الأسرة.",
    ),
    "AMO_PENDING_STALE": (
        "Dossier en attente de validation hors délai : le valider ou le rejeter sans attendre.",
        "ملف ينتظر المصادقة بعد الأجل: المصادقة عليه أو رفضه دون تأخير.",
    ),
    "AMO_SLA_BREACHED": (
        "Dossier sans décision CNSS dans le délai : relancer la CNSS.",
        "ملف بلا قرار من الصندوق داخل الأجل: مراسلة الصندوق الوطني للضمان الاجتماعي.",
    ),
    "UNKNOWN_TERRITORY": (
        "Annexe inconnue : corriger le code d'annexe dans le registre source.",
        "ملحقة غير معروفة: تصحيح رمز الملحقة في السجل المصدر.",
    ),
    "RSU_DUPLICATE_MEMBER": (
        "IDCS déclaré dans deux ménages : établir le vrai ménage et retirer l'autre inscription.",
        "معرف مصرح به في أسرتين: تحديد الأسرة الحقيقية وحذف التسجيل الآخر.",
    ),
    "RSU_DECEASED_MEMBER": (
        "Membre décédé selon le RNP : mettre à jour la composition du ménage.",
        "فرد متوفى حسب السجل الوطني للسكان: تحيين تركيبة الأسرة.",
    ),
    # anomaly indicators
    "SINGLE_PERSON_SHARE": (
        "Trop de ménages d'une personne : ménages peut-être scindés, enquête sur le terrain.",
        "أسر من فرد واحد أكثر من المتوقع: احتمال تقسيم الأسر، يلزم بحث ميداني.",
    ),
    "STALE_PENDING_SHARE": (
        "Trop de dossiers en attente hors délai : vérifier la validation quotidienne.",
        "ملفات معلقة بعد الأجل أكثر من المتوقع: التحقق من المصادقة اليومية.",
    ),
    "AMO_RSU_DISCREPANCY_RATE": (
        "Trop de bénéficiaires absents ou différents du RSU : contrôler la saisie des dossiers.",
        "مستفيدون غائبون أو مختلفون عن السجل أكثر من المتوقع: مراقبة إدخال الملفات.",
    ),
    # parameters sheet
    "parameter": ("Paramètre", "المعيار"),
    "value": ("Valeur", "القيمة"),
    "as_of": ("Date de référence", "تاريخ المرجع"),
    "threshold": ("Seuil d'éligibilité", "عتبة الأهلية"),
    "validation_days": ("Délai de validation (jours)", "أجل المصادقة (أيام)"),
    "cnss_days": ("Délai CNSS (jours)", "أجل الصندوق (أيام)"),
    "engine": ("Moteur", "المحرك"),
    "links": ("Rapprochement probabiliste", "الربط الاحتمالي"),
    "inputs": ("Lignes lues", "الأسطر المقروءة"),
    "outputs": ("Lignes produites", "الأسطر المنتجة"),
    "timings": ("Durée (s)", "المدة (ثوان)"),
    "warnings": ("Avertissements", "التنبيهات"),
}


def both(key: str) -> str:
    """A label in both languages, for sheets read by both."""
    return " / ".join(LABELS.get(key, (key, key)))


def _sheet(
    name: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]], **options: Any
) -> Sheet:
    """A sheet for both languages: French name (and CSV file name), bilingual headers."""
    return Sheet(name[:31], name, columns, tuple(both(c) for c in columns), rows, **options)


def _summary(run_dir: Path) -> dict[str, Any]:
    """The run's summary, once every file the report reads is there; ValueError otherwise."""
    if not run_dir.is_dir():
        raise ValueError(f"run folder {run_dir} does not exist: run `sijill reconcile` first")
    for name in (*(f"{n}.parquet" for n in REQUIRED), "summary.json"):
        if not (run_dir / name).is_file():
            raise ValueError(f"incomplete run folder {run_dir}: {name} is missing")
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{run_dir / 'summary.json'} is not readable JSON: {exc}") from exc
    if not isinstance(summary, dict) or not isinstance(summary.get("parameters"), dict):
        raise ValueError(f"{run_dir / 'summary.json'} has no 'parameters' object")
    return summary


def _views(con: duckdb.DuckDBPyConnection, run_dir: Path) -> None:
    """One view per output read, named as the output; ValueError on a missing column."""
    for name, columns in REQUIRED.items():
        path = run_dir / f"{name}.parquet"
        try:
            con.execute(f"CREATE VIEW {name} AS FROM read_parquet({sql_string(str(path))})")
            found = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
        except duckdb.Error as exc:
            raise ValueError(f"{path} is not a readable Parquet file: {exc}") from exc
        if missing := [c for c in columns if c not in found]:
            raise ValueError(f"{path.name} lacks column(s) {', '.join(missing)}")


def _rows(con: duckdb.DuckDBPyConnection, query: str, *args: object) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in con.execute(query, list(args)).fetchall()]


def funnel_sheets(con: duckdb.DuckDBPyConnection) -> list[Sheet]:
    """Per level, a French sheet then (after all French ones) an Arabic right-to-left one."""
    counts = tuple(c for c in funnel.COLUMNS if c not in ("code", "level", "name_fr", "name_ar"))
    columns = ("code", "name", *counts)
    query = f"SELECT code, name_fr, name_ar, {', '.join(counts)} FROM funnel WHERE level = ?"
    french, arabic = [], []
    for level in LEVELS:
        rows = _rows(con, f"{query} ORDER BY code LIMIT {MAX_ROWS}", level)
        fr, ar = LABELS[level]
        headers = [tuple(LABELS[c][lang] for c in columns) for lang in (0, 1)]
        french_rows = [(r[0], r[1], *r[3:]) for r in rows]
        french.append(Sheet(fr, fr, columns, headers[0], french_rows, frozen=2))
        arabic_rows = [r[:1] + r[2:] for r in rows]
        arabic.append(Sheet(ar, f"{fr} (ar)", columns, headers[1], arabic_rows, True, 2))
    return french + arabic


def findings_sheets(con: duckdb.DuckDBPyConnection) -> tuple[Sheet, list[Sheet]]:
    """Counts per kind and source (every kind listed, zero or not), and each kind's first rows."""
    counted = _rows(con, "SELECT kind, source, count(*) FROM findings GROUP BY ALL ORDER BY ALL")
    kinds = list(KINDS) + sorted({k for k, _, _ in counted} - set(KINDS))
    rows: list[tuple[Any, ...]] = []
    for kind in kinds:
        found = [r for r in counted if r[0] == kind] or [(kind, None, 0)]
        fr, ar = LABELS.get(kind, (kind, kind))
        rows += [(k, source, n, fr, ar) for k, source, n in found]
    columns = ("kind", "source", "count", "action_fr", "action_ar")
    select = f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE kind = ? LIMIT ?"
    details = [_sheet(k, FINDING_COLUMNS, _rows(con, select, k, FIRST_ROWS)) for k in kinds]
    return _sheet(LABELS["findings"][0], columns, rows), details


def anomaly_sheets(con: duckdb.DuckDBPyConnection) -> list[Sheet]:
    """Anomalies (flagged first) and split suspects, with the annexes' names."""
    names = "LEFT JOIN funnel t ON t.code = a.annex_code AND t.level = 'annex'"
    found = _rows(
        con,
        "SELECT a.annex_code, t.name_fr, t.name_ar, a.indicator, a.observed, a.expected, "
        f"a.p_value, a.q_value, a.flagged FROM anomalies a {names} "
        f"ORDER BY a.flagged DESC, a.q_value, a.annex_code, a.indicator LIMIT {MAX_ROWS}",
    )
    meaning = {i.name: LABELS.get(i.name, (i.why, i.why)) for i in INDICATORS}
    rows = [(*r, *meaning.get(r[3], (r[3], r[3]))) for r in found]
    columns = ("annex_code", "name_fr", "name_ar", "indicator", *ANOMALY_SCHEMA.names[2:])
    splits = _rows(
        con,
        "SELECT a.cluster_id, a.household_id, a.idcs, a.annex_code, t.name_fr, t.name_ar, "
        f"a.reason FROM split_suspects a {names} "
        f"ORDER BY a.annex_code, a.cluster_id, a.household_id LIMIT {MAX_ROWS}",
    )
    split_columns = (*SPLIT_COLUMNS[:4], "name_fr", "name_ar", "reason")
    return [
        _sheet(LABELS["anomalies"][0], (*columns, "meaning_fr", "meaning_ar"), rows,
               frozen=1, highlight="flagged"),
        _sheet(LABELS["split_suspects"][0], split_columns, splits, frozen=1),
    ]  # fmt: skip


def parameter_sheet(summary: dict[str, Any]) -> Sheet:
    """Parameters, engine, input and output row counts, warnings and timings of the run."""
    rows: list[tuple[Any, ...]] = [
        (*LABELS.get(key, (key, key)), value) for key, value in summary["parameters"].items()
    ]
    rows += [(*LABELS[key], summary[key]) for key in ("engine", "links") if key in summary]
    for group in ("inputs", "outputs", "timings"):
        fr, ar = LABELS[group]
        rows += [(f"{fr} : {k}", f"{ar} : {k}", v) for k, v in summary.get(group, {}).items()]
    rows.append((*LABELS["warnings"], len(summary.get("warnings", []))))
    name, headers = LABELS["parameters"][0], (*LABELS["parameter"], both("value"))
    return Sheet(name, name, ("parameter", "parameter", "value"), headers, rows, frozen=1)


def sheets(run_dir: Path) -> list[Sheet]:
    """Every table of the report, in workbook order."""
    summary = _summary(run_dir)
    with duckdb.connect() as con:
        _views(con, run_dir)
        findings, details = findings_sheets(con)
        return [
            *funnel_sheets(con), findings, *anomaly_sheets(con), parameter_sheet(summary),
            *details,
        ]  # fmt: skip


def write_report(run_dir: Path, fmt: str, out: Path | None = None) -> Path:
    """Write the report of a reconciliation output folder; returns the file or folder written.

    fmt "xlsx": one workbook (default RUN_DIR/report.xlsx); "csv": one CSV per sheet
    (default RUN_DIR/report/). Raises ValueError on an unknown format or an incomplete run.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    tables = sheets(run_dir)
    target = out or run_dir / ("report.xlsx" if fmt == "xlsx" else "report")
    if fmt == "xlsx":
        target.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(tables, target)
    else:
        write_csv(tables, target)
    return target
