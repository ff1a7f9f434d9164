"""Every text the engine's commands show, in French and Arabic, keyed by its English text.

Keys with `{placeholders}` are filled by `sijill.messages.t`, and recognised by
`sijill.messages.translate` in texts the engine composed (problem details, error messages);
a key must therefore never be placeholders and punctuation alone. Arabic follows Moroccan
administrative usage and the back office's catalogues (الاتفاق التبادلي, الملحقة الإدارية…).
"""

from __future__ import annotations

from collections.abc import Mapping

from sijill.cli.catalogue_help import HELP, Entry

_COMMANDS: dict[str, Entry] = {
    "Give at least one of --territories, --rnp, --rsu, --amo.": {
        "fr": "Donnez au moins une des options --territories, --rnp, --rsu, --amo.",
        "ar": "يرجى تحديد خيار واحد على الأقل من بين: --territories، --rnp، --rsu، --amo.",
    },
    "{name}: {rows} rows ({format}, {path})": {
        "fr": "{name} : {rows} lignes ({format}, {path})",
        "ar": "{name}: عدد الأسطر {rows} ({format}، {path})",
    },
    "valid": {"fr": "extraits valides", "ar": "المستخرجات صالحة"},
    "--engine must be one of {engines}": {
        "fr": "--engine doit valoir l'une de ces valeurs : {engines}",
        "ar": "يجب أن تكون قيمة --engine إحدى القيم التالية: {engines}",
    },
    "--format must be one of {formats}": {
        "fr": "--format doit valoir l'une de ces valeurs : {formats}",
        "ar": "يجب أن تكون قيمة --format إحدى القيم التالية: {formats}",
    },
    "invalid input: nothing was written": {
        "fr": "extraits non conformes : rien n'a été écrit",
        "ar": "المستخرجات غير مطابقة للاتفاق التبادلي: لم يكتب أي شيء",
    },
    "outputs in {path}": {
        "fr": "résultats dans {path}",
        "ar": "النتائج في {path}",
    },
    "importing the demo country into the back office…": {
        "fr": "chargement du pays de démonstration dans le back office…",
        "ar": "جار تحميل بلد العرض في المكتب الخلفي…",
    },
    "run #{number} imported into the dashboards": {
        "fr": "rapprochement n° {number} chargé dans les tableaux de bord",
        "ar": "عملية المطابقة رقم {number} محملة في لوحات القيادة",
    },
    "demo accounts — {url}": {
        "fr": "comptes de démonstration — {url}",
        "ar": "حسابات العرض — {url}",
    },
    "user": {"fr": "utilisateur", "ar": "المستخدم"},
    "role": {"fr": "rôle", "ar": "الدور"},
    "territory": {"fr": "territoire", "ar": "الوحدة الترابية"},
    "password": {"fr": "mot de passe", "ar": "كلمة المرور"},
    "national": {"fr": "national", "ar": "وطني"},
    "{count} warning(s): see summary.json": {
        "fr": "{count} avertissement(s) : voir summary.json",
        "ar": "عدد التنبيهات: {count}، انظروا summary.json",
    },
    "{error}: choose another --out or pass --force": {
        "fr": "{error} : choisissez un autre --out ou ajoutez --force",
        "ar": "{error}: اختاروا مجلدا آخر عبر --out أو أضيفوا --force",
    },
    "report written: {path}": {
        "fr": "rapport écrit : {path}",
        "ar": "تمت كتابة التقرير: {path}",
    },
}

_PROGRESS: dict[str, Entry] = {
    "reconcile": {"fr": "rapprochement", "ar": "المطابقة"},
    "reconcile: {step}": {"fr": "rapprochement : {step}", "ar": "المطابقة: {step}"},
    "link": {"fr": "appariement", "ar": "الربط"},
    "link: {step}": {"fr": "appariement : {step}", "ar": "الربط: {step}"},
    "synth: persons": {"fr": "synthèse : personnes", "ar": "التوليد: الأشخاص"},
    "validate": {"fr": "vérification", "ar": "التحقق"},
    "prepare": {"fr": "préparation", "ar": "التحضير"},
    "funnel": {"fr": "entonnoir", "ar": "المسار"},
    "findings": {"fr": "constats", "ar": "الملاحظات"},
    "anomalies": {"fr": "anomalies", "ar": "الحالات غير العادية"},
    "splits": {"fr": "scissions", "ar": "الأسر المشتبه في تقسيمها"},
    "links": {"fr": "appariement", "ar": "الربط"},
    "rows": {"fr": "lignes", "ar": "الأسطر"},
    "pool": {"fr": "personnes comparées", "ar": "الأشخاص المقارنون"},
    "train": {"fr": "apprentissage", "ar": "تدريب النموذج"},
    "predict": {"fr": "prédiction", "ar": "التنبؤ"},
    "write": {"fr": "écriture", "ar": "الكتابة"},
    "done": {"fr": "terminé", "ar": "انتهى"},
}

_TABLES: dict[str, Entry] = {
    "Contract check": {
        "fr": "Contrôle du contrat d'échange",
        "ar": "فحص احترام الاتفاق التبادلي",
    },
    "file": {"fr": "fichier", "ar": "الملف"},
    "column": {"fr": "colonne", "ar": "العمود"},
    "rule": {"fr": "règle", "ar": "القاعدة"},
    "severity": {"fr": "gravité", "ar": "الخطورة"},
    "count": {"fr": "nombre", "ar": "العدد"},
    "first rows": {"fr": "premières lignes", "ar": "الأسطر الأولى"},
    "detail": {"fr": "détail", "ar": "التفاصيل"},
    "error": {"fr": "erreur", "ar": "خطأ"},
    "warning": {"fr": "avertissement", "ar": "تنبيه"},
    "Synthetic country ({format}, {seconds} s)": {
        "fr": "Pays synthétique ({format}, {seconds} s)",
        "ar": "البلد الاصطناعي ({format}، {seconds} ثانية)",
    },
    "what": {"fr": "élément", "ar": "العنصر"},
    "rows: {name}": {"fr": "lignes : {name}", "ar": "الأسطر: {name}"},
    "annexes": {"fr": "annexes", "ar": "الملحقات الإدارية"},
    "annexes with split households": {
        "fr": "annexes avec des ménages scindés",
        "ar": "ملحقات إدارية بها أسر مقسمة",
    },
    "expected findings: {name}": {
        "fr": "constats attendus : {name}",
        "ar": "الملاحظات المتوقعة: {name}",
    },
    "Linkage": {"fr": "Appariement", "ar": "الربط"},
    "measure": {"fr": "mesure", "ar": "المقياس"},
    "value": {"fr": "valeur", "ar": "القيمة"},
    "rows with a missing or unknown identifier": {
        "fr": "lignes à l'identifiant absent ou inconnu",
        "ar": "أسطر بمعرف مفقود أو غير معروف",
    },
    "RNP persons": {"fr": "personnes du RNP", "ar": "أشخاص السجل الوطني للسكان"},
    "RNP persons some rule compares": {
        "fr": "personnes du RNP comparées par au moins une règle",
        "ar": "أشخاص السجل الوطني للسكان الذين تقارنهم قاعدة واحدة على الأقل",
    },
    "pairs scored above the minimum": {
        "fr": "paires au-dessus du score minimal",
        "ar": "أزواج تتجاوز النقطة الدنيا",
    },
    "rows with a candidate": {"fr": "lignes avec un candidat", "ar": "أسطر لها مرشح"},
    "rows with a candidate at 0.5 or more": {
        "fr": "lignes avec un candidat à 0,5 ou plus",
        "ar": "أسطر لها مرشح باحتمال 0,5 أو أكثر",
    },
    "National funnel (as of {date})": {
        "fr": "Entonnoir national (au {date})",
        "ar": "المسار الوطني (بتاريخ {date})",
    },
    "step": {"fr": "étape", "ar": "المرحلة"},
    "living RNP persons": {
        "fr": "personnes vivantes au RNP",
        "ar": "الأشخاص الأحياء في السجل الوطني للسكان",
    },
    "in the RSU": {"fr": "inscrites au RSU", "ar": "مسجلون في السجل الاجتماعي الموحد"},
    "not in the RSU": {"fr": "absentes du RSU", "ar": "غير مسجلين في السجل الاجتماعي الموحد"},
    "RSU households": {"fr": "ménages du RSU", "ar": "أسر السجل الاجتماعي الموحد"},
    "RSU persons": {"fr": "personnes du RSU", "ar": "أفراد السجل الاجتماعي الموحد"},
    "identifier unknown to the RNP": {
        "fr": "identifiant inconnu du RNP",
        "ar": "معرف غير معروف في السجل الوطني للسكان",
    },
    "differing from the RNP": {
        "fr": "différentes du RNP",
        "ar": "بيانات مختلفة عن السجل الوطني للسكان",
    },
    "single-person household share": {
        "fr": "part des ménages d'une personne",
        "ar": "نسبة الأسر المكونة من فرد واحد",
    },
    "eligible households": {"fr": "ménages éligibles", "ar": "الأسر المؤهلة"},
    "eligible persons": {"fr": "personnes éligibles", "ar": "الأشخاص المؤهلون"},
    "AMO files": {"fr": "dossiers AMO", "ar": "ملفات أمو تضامن"},
    "AMO beneficiaries": {"fr": "bénéficiaires AMO", "ar": "المستفيدون من أمو تضامن"},
    "not in the RSU household": {
        "fr": "absents du ménage au RSU",
        "ar": "غير مسجلين ضمن الأسرة في السجل الاجتماعي الموحد",
    },
    "differing from the RSU": {
        "fr": "différents du RSU",
        "ar": "بيانات مختلفة عن السجل الاجتماعي الموحد",
    },
    "household not eligible": {"fr": "ménage non éligible", "ar": "أسرة غير مؤهلة"},
    "files pending validation too long": {
        "fr": "dossiers en attente de validation hors délai",
        "ar": "ملفات تنتظر المصادقة بعد انقضاء الأجل",
    },
    "files past CNSS's deadline": {
        "fr": "dossiers hors délai CNSS",
        "ar": "ملفات تجاوزت أجل الصندوق الوطني للضمان الاجتماعي",
    },
    "files accepted": {"fr": "dossiers acceptés", "ar": "الملفات المقبولة"},
    "files rejected": {"fr": "dossiers rejetés", "ar": "الملفات المرفوضة"},
    "Annexes with the largest RNP → RSU loss": {
        "fr": "Annexes aux plus fortes pertes RNP → RSU",
        "ar": "الملحقات الإدارية الأكثر فقدانا بين السجل الوطني للسكان والسجل الاجتماعي الموحد",
    },
    "annex": {"fr": "annexe", "ar": "الملحقة الإدارية"},
    "name in French": {"fr": "nom", "ar": "الاسم بالفرنسية"},
    "name in Arabic": {"fr": "الاسم", "ar": "الاسم بالعربية"},
    "living RNP": {"fr": "vivants au RNP", "ar": "الأحياء في السجل الوطني للسكان"},
    "not in RSU": {"fr": "absents du RSU", "ar": "غير المسجلين في السجل الاجتماعي الموحد"},
    "lost": {"fr": "part perdue", "ar": "نسبة الضائعين"},
}

# Problems found in extracts: rules, then details, as the engine words them.
_PROBLEMS: dict[str, Entry] = {
    "file exists": {"fr": "fichier existant", "ar": "وجود الملف"},
    "format": {"fr": "format", "ar": "الصيغة"},
    "not empty": {"fr": "non vide", "ar": "ملف غير فارغ"},
    "readable csv": {"fr": "csv lisible", "ar": "ملف csv مقروء"},
    "readable parquet": {"fr": "parquet lisible", "ar": "ملف parquet مقروء"},
    "file given": {"fr": "fichier fourni", "ar": "تقديم الملف"},
    "required column": {"fr": "colonne requise", "ar": "عمود إلزامي"},
    "type": {"fr": "type", "ar": "النوع"},
    "required": {"fr": "valeur requise", "ar": "قيمة إلزامية"},
    "pattern": {"fr": "motif", "ar": "النمط"},
    "enum": {"fr": "valeurs admises", "ar": "القيم المسموح بها"},
    "unique": {"fr": "unicité", "ar": "عدم التكرار"},
    "same within {key}": {"fr": "identique dans {key}", "ar": "متطابق داخل {key}"},
    "parent exists": {"fr": "parent existant", "ar": "وجود الوحدة الأم"},
    "region has no parent": {"fr": "région sans parent", "ar": "الجهة بلا وحدة أم"},
    "parent required": {"fr": "parent requis", "ar": "الوحدة الأم إلزامية"},
    "parent level": {"fr": "niveau du parent", "ar": "مستوى الوحدة الأم"},
    "annex exists": {"fr": "annexe existante", "ar": "وجود الملحقة الإدارية"},
    "annex level": {"fr": "niveau annexe", "ar": "مستوى الملحقة الإدارية"},
    "arabic script": {"fr": "écriture arabe", "ar": "الكتابة بالحروف العربية"},
    "latin script": {"fr": "écriture latine", "ar": "الكتابة بالحروف اللاتينية"},
    "no such file": {"fr": "fichier introuvable", "ar": "الملف غير موجود"},
    "is a directory, not a file": {
        "fr": "c'est un dossier, pas un fichier",
        "ar": "هذا مجلد وليس ملفا",
    },
    "unknown extension {extension}: use .csv or .parquet": {
        "fr": "extension inconnue {extension} : utilisez .csv ou .parquet",
        "ar": "امتداد غير معروف {extension}: استعملوا .csv أو .parquet",
    },
    "the file is empty": {"fr": "le fichier est vide", "ar": "الملف فارغ"},
    "not UTF-8 text (UTF-16 or binary data): save the file as UTF-8": {
        "fr": "pas du texte UTF-8 (UTF-16 ou données binaires) : enregistrez le fichier en UTF-8",
        "ar": "ليس نصا بترميز UTF-8 (UTF-16 أو بيانات ثنائية): احفظوا الملف بترميز UTF-8",
    },
    "not valid UTF-8 (line {line}): save the file as UTF-8": {
        "fr": "UTF-8 non valide (ligne {line}) : enregistrez le fichier en UTF-8",
        "ar": "ترميز UTF-8 غير صالح (السطر {line}): احفظوا الملف بترميز UTF-8",
    },
    "not valid UTF-8: save the file as UTF-8": {
        "fr": "UTF-8 non valide : enregistrez le fichier en UTF-8",
        "ar": "ترميز UTF-8 غير صالح: احفظوا الملف بترميز UTF-8",
    },
    "{error} (line {line})": {"fr": "{error} (ligne {line})", "ar": "{error} (السطر {line})"},
    "column missing": {"fr": "colonne absente", "ar": "العمود غير موجود"},
    "column missing (found {found}: names are exact)": {
        "fr": "colonne absente (trouvé {found} : les noms doivent être exacts)",
        "ar": "العمود غير موجود (وجد {found}: يجب أن تكون الأسماء مطابقة تماما)",
    },
    "expected {expected}, found {found}": {
        "fr": "attendu : {expected}, trouvé : {found}",
        "ar": "المتوقع: {expected}، الموجود: {found}",
    },
    "empty value": {"fr": "valeur vide", "ar": "قيمة فارغة"},
    "not {expected}": {
        "fr": "n'est pas {expected}",
        "ar": "قيمة غير صالحة، المتوقع: {expected}",
    },
    "text": {"fr": "du texte", "ar": "نص"},
    "a date YYYY-MM-DD": {"fr": "une date YYYY-MM-DD", "ar": "تاريخ بصيغة YYYY-MM-DD"},
    "a timestamp YYYY-MM-DDTHH:MM:SS": {
        "fr": "un horodatage YYYY-MM-DDTHH:MM:SS",
        "ar": "طابع زمني بصيغة YYYY-MM-DDTHH:MM:SS",
    },
    "true/false or 1/0": {"fr": "true/false ou 1/0", "ar": "true/false أو 1/0"},
    "a finite number": {"fr": "un nombre fini", "ar": "عدد منته"},
    "must match {pattern}": {
        "fr": "doit correspondre à {pattern}",
        "ar": "يجب أن يطابق النمط {pattern}",
    },
    "must be one of {values}": {
        "fr": "doit être l'une des valeurs {values}",
        "ar": "يجب أن تكون إحدى القيم: {values}",
    },
    "Latin letters in an Arabic field": {
        "fr": "lettres latines dans un champ arabe",
        "ar": "حروف لاتينية في حقل عربي",
    },
    "Arabic letters in a Latin field": {
        "fr": "lettres arabes dans un champ latin",
        "ar": "حروف عربية في حقل لاتيني",
    },
    "value appears on more than one row": {
        "fr": "valeur présente sur plus d'une ligne",
        "ar": "قيمة مكررة في أكثر من سطر",
    },
    "differs between rows of one {key}": {
        "fr": "diffère entre les lignes d'un même {key}",
        "ar": "تختلف بين أسطر المعرف {key} الواحد",
    },
    "parent_code is not the code of any territory": {
        "fr": "parent_code n'est le code d'aucun territoire",
        "ar": "parent_code لا يطابق رمز أي وحدة ترابية",
    },
    "a region must have an empty parent_code": {
        "fr": "une région doit avoir un parent_code vide",
        "ar": "يجب أن يكون parent_code فارغا بالنسبة للجهة",
    },
    "only a region may have an empty parent_code": {
        "fr": "seule une région peut avoir un parent_code vide",
        "ar": "لا يجوز أن يكون parent_code فارغا إلا بالنسبة للجهة",
    },
    "annex → commune → province → region": {
        "fr": "annexe → commune → province → région",
        "ar": "ملحقة إدارية ← جماعة ← عمالة أو إقليم ← جهة",
    },
    "unknown annex: these rows become UNKNOWN_TERRITORY findings": {
        "fr": "annexe inconnue : ces lignes deviennent des constats UNKNOWN_TERRITORY",
        "ar": "ملحقة إدارية غير معروفة: تصبح هذه الأسطر ملاحظات من نوع UNKNOWN_TERRITORY",
    },
    "names a territory that is not an annex": {
        "fr": "désigne un territoire qui n'est pas une annexe",
        "ar": "يشير إلى وحدة ترابية ليست ملحقة إدارية",
    },
    "this extract is required": {"fr": "cet extrait est requis", "ar": "هذا المستخرج إلزامي"},
    # The back office's import adds its own (sijill.registry.shapes).
    "same {column} within {key}": {
        "fr": "{column} identique dans {key}",
        "ar": "تطابق {column} داخل {key}",
    },
    "rows of one {key} must agree on {column}": {
        "fr": "les lignes d'un même {key} doivent avoir le même {column}",
        "ar": "يجب أن تتطابق قيمة {column} في أسطر {key} الواحد",
    },
}

# Errors the engine raises with a message for the user (ValueError, FileExistsError).
_ERRORS: dict[str, Entry] = {
    "threshold must be a finite number, not {value}": {
        "fr": "le seuil doit être un nombre fini, pas {value}",
        "ar": "يجب أن تكون العتبة عددا منتهيا، وليس {value}",
    },
    "validation_days and cnss_days must not be negative": {
        "fr": "validation_days et cnss_days ne doivent pas être négatifs",
        "ar": "يجب ألا تكون قيمتا validation_days و cnss_days سالبتين",
    },
    "unknown engine {engine}: available {engines}": {
        "fr": "moteur inconnu {engine} : disponibles {engines}",
        "ar": "محرك غير معروف {engine}: المتاح {engines}",
    },
    "{name}={value} is not a memory size such as 8GB": {
        "fr": "{name}={value} n'est pas une taille de mémoire comme 8GB",
        "ar": "{name}={value} ليس حجم ذاكرة صالحا مثل 8GB",
    },
    "run folder {path} does not exist: run `sijill reconcile` first": {
        "fr": "le dossier d'exécution {path} n'existe pas : lancez d'abord `sijill reconcile`",
        "ar": "مجلد العملية {path} غير موجود: شغلوا `sijill reconcile` أولا",
    },
    "incomplete run folder {path}: {name} is missing": {
        "fr": "dossier d'exécution incomplet {path} : {name} manque",
        "ar": "مجلد العملية {path} غير مكتمل: {name} غير موجود",
    },
    "{path} is not readable JSON: {error}": {
        "fr": "{path} n'est pas du JSON lisible : {error}",
        "ar": "{path} ليس ملف JSON مقروءا: {error}",
    },
    "{path} has no 'parameters' object": {
        "fr": "{path} n'a pas d'objet 'parameters'",
        "ar": "{path} لا يحتوي على الكائن 'parameters'",
    },
    "{path} is not a readable Parquet file: {error}": {
        "fr": "{path} n'est pas un fichier Parquet lisible : {error}",
        "ar": "{path} ليس ملف Parquet مقروءا: {error}",
    },
    "{name} lacks column(s) {columns}": {
        "fr": "il manque à {name} la ou les colonnes {columns}",
        "ar": "ينقص {name} العمود أو الأعمدة: {columns}",
    },
    "unknown report format {format}: use one of {formats}": {
        "fr": "format de rapport inconnu {format} : utilisez l'un de {formats}",
        "ar": "صيغة تقرير غير معروفة {format}: استعملوا إحدى الصيغ {formats}",
    },
    "{path} exists and is not empty": {
        "fr": "{path} existe et n'est pas vide",
        "ar": "{path} موجود وغير فارغ",
    },
}

# `sijill --help` and every command's help: docstrings and option help, word for word.

# Typer's own frame and usage errors (sijill.cli.usage): panel titles, the usage line, mistakes.
_USAGE: dict[str, Entry] = {
    "Arguments": {"fr": "Arguments", "ar": "المعطيات"},
    "Options": {"fr": "Options", "ar": "الخيارات"},
    "Commands": {"fr": "Commandes", "ar": "الأوامر"},
    "Error": {"fr": "Erreur", "ar": "خطأ"},
    "Aborted.": {"fr": "Interrompu.", "ar": "تم الإلغاء."},
    "[required]": {"fr": "[obligatoire]", "ar": "[إلزامي]"},
    "[default: {}]": {"fr": "[par défaut : {}]", "ar": "[القيمة الافتراضية: {}]"},
    "Try [blue]'{command_path} {help_option}'[/] for help.": {
        "fr": "Aide : [blue]'{command_path} {help_option}'[/]",
        "ar": "للمساعدة: [blue]'{command_path} {help_option}'[/]",
    },
    "Usage: ": {"fr": "Usage : ", "ar": "الاستعمال: "},
    "Show this message and exit.": {
        "fr": "Affiche cette aide et quitte.",
        "ar": "عرض هذه المساعدة ثم الخروج.",
    },
    "Missing option '{option}'.": {
        "fr": "Option manquante : '{option}'.",
        "ar": "خيار ناقص: '{option}'.",
    },
    "Missing argument '{argument}'.": {
        "fr": "Argument manquant : '{argument}'.",
        "ar": "معطى ناقص: '{argument}'.",
    },
    "Missing command.": {"fr": "Commande manquante.", "ar": "الأمر ناقص."},
    "No such command '{command}'.": {
        "fr": "Commande inconnue : '{command}'.",
        "ar": "أمر غير معروف: '{command}'.",
    },
    "No such command '{command}'. Did you mean {suggestion}?": {
        "fr": "Commande inconnue : '{command}'. Vouliez-vous dire {suggestion} ?",
        "ar": "أمر غير معروف: '{command}'. هل تقصدون {suggestion}؟",
    },
    "No such option: {option}": {
        "fr": "Option inconnue : {option}",
        "ar": "خيار غير معروف: {option}",
    },
    "No such option: {option} Did you mean {suggestion}?": {
        "fr": "Option inconnue : {option}. Vouliez-vous dire {suggestion} ?",
        "ar": "خيار غير معروف: {option}. هل تقصدون {suggestion}؟",
    },
    "No such option: {option} (Possible options: {options})": {
        "fr": "Option inconnue : {option} (options possibles : {options})",
        "ar": "خيار غير معروف: {option} (الخيارات الممكنة: {options})",
    },
    "Option '{option}' requires an argument.": {
        "fr": "L'option '{option}' demande une valeur.",
        "ar": "الخيار '{option}' يتطلب قيمة.",
    },
    "Got unexpected extra argument(s) ({arguments})": {
        "fr": "Arguments en trop : {arguments}",
        "ar": "معطيات زائدة: {arguments}",
    },
    "Invalid value for '{option}': {reason}": {
        "fr": "Valeur invalide pour '{option}' : {reason}",
        "ar": "قيمة غير صالحة للخيار '{option}': {reason}",
    },
    "Input should be a valid integer, unable to parse string as an integer": {
        "fr": "un nombre entier est attendu",
        "ar": "يجب إدخال عدد صحيح",
    },
    "Input should be a valid number, unable to parse string as a number": {
        "fr": "un nombre est attendu",
        "ar": "يجب إدخال عدد",
    },
    "Value error, '{value}' does not match the formats '%Y-%m-%d'.": {
        "fr": "'{value}' n'est pas une date AAAA-MM-JJ.",
        "ar": "'{value}' ليس تاريخا بصيغة YYYY-MM-DD.",
    },
}


SECTIONS: tuple[Mapping[str, Entry], ...] = (
    _COMMANDS,
    _PROGRESS,
    _TABLES,
    _PROBLEMS,
    _ERRORS,
    _USAGE,
    HELP,
)
CATALOGUE: dict[str, Entry] = {key: entry for section in SECTIONS for key, entry in section.items()}
