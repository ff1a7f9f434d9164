"""The `--help` texts of every command and option, in French and Arabic (see `catalogue`)."""

from __future__ import annotations

from collections.abc import Mapping

Entry = Mapping[str, str]

HELP: dict[str, Entry] = {
    "sijill: keep RNP, RSU and AMO Tadamon consistent and show where citizens are lost.": {
        "fr": "sijill : garder le RNP, le RSU et l'AMO Tadamon cohérents et montrer où les "
        "citoyens se perdent.",
        "ar": "sijill: الحفاظ على انسجام السجل الوطني للسكان والسجل الاجتماعي الموحد و«أمو "
        "تضامن»، وإظهار أين يضيع المواطنون بينها.",
    },
    "Check extracts against the interchange contract (docs/extracts.md).\n\nExits 0 when "
    "every given file is valid (warnings are shown but allowed), 2 otherwise.": {
        "fr": "Vérifie des extraits au regard du contrat d'échange (docs/extracts.md).\n\n"
        "Code de sortie 0 si chaque fichier donné est valide (les avertissements sont "
        "affichés mais admis), 2 sinon.",
        "ar": "التحقق من المستخرجات وفق الاتفاق التبادلي (docs/extracts.md).\n\nرمز الخروج 0 "
        "إذا كان كل ملف مقدم صالحا (تعرض التنبيهات دون أن تمنع ذلك)، و2 في غير ذلك.",
    },
    "Extract file (.csv or .parquet) in the contract format.": {
        "fr": "Fichier extrait (.csv ou .parquet) au format du contrat d'échange.",
        "ar": "ملف مستخرج (.csv أو .parquet) وفق صيغة الاتفاق التبادلي.",
    },
    "Reconcile the registers: funnel, findings, anomalies, split suspects, links.\n\n"
    "Writes OUT/funnel.parquet, findings, anomalies, split_suspects, links and summary.json.\n"
    "Bad input exits 2 with the contract check table and writes nothing.": {
        "fr": "Rapproche les registres : entonnoir, constats, anomalies, ménages suspects de "
        "scission, appariements.\n\nÉcrit OUT/funnel.parquet, findings, anomalies, "
        "split_suspects, links et summary.json.\nDes extraits non conformes donnent le code "
        "de sortie 2 avec le tableau du contrôle, et rien n'est écrit.",
        "ar": "مطابقة السجلات: المسار، الملاحظات، الحالات غير العادية، الأسر المشتبه في "
        "تقسيمها، الربط.\n\nيكتب OUT/funnel.parquet، findings، anomalies، split_suspects، "
        "links و summary.json.\nعند وجود مستخرجات غير مطابقة يكون رمز الخروج 2 مع جدول "
        "الفحص، ولا يكتب أي شيء.",
    },
    "Territories extract.": {"fr": "Extrait des territoires.", "ar": "مستخرج الوحدات الترابية."},
    "RNP extract.": {"fr": "Extrait du RNP.", "ar": "مستخرج السجل الوطني للسكان."},
    "RSU extract.": {"fr": "Extrait du RSU.", "ar": "مستخرج السجل الاجتماعي الموحد."},
    "AMO Tadamon extract.": {"fr": "Extrait de l'AMO Tadamon.", "ar": "مستخرج «أمو تضامن»."},
    "Reference day for ages and deadlines.": {
        "fr": "Jour de référence des âges et des délais.",
        "ar": "يوم المرجع لحساب الأعمار والآجال.",
    },
    "Output folder (replaced as a whole at the end).": {
        "fr": "Dossier de sortie (remplacé en entier à la fin).",
        "ar": "مجلد النتائج (يستبدل بأكمله في النهاية).",
    },
    "Eligible when score <= threshold.": {
        "fr": "Éligible quand score <= seuil.",
        "ar": "مؤهل عندما يكون المؤشر <= العتبة.",
    },
    "Days before pending is stale.": {
        "fr": "Jours avant qu'un dossier en attente soit hors délai.",
        "ar": "عدد الأيام قبل أن يتجاوز الملف المنتظر أجله.",
    },
    "CNSS's deadline in days.": {
        "fr": "Délai de la CNSS en jours.",
        "ar": "أجل الصندوق الوطني للضمان الاجتماعي بالأيام.",
    },
    "One of: {choices}.": {"fr": "Au choix : {choices}.", "ar": "إحدى القيم: {choices}."},
    "Run linkage.": {"fr": "Lancer l'appariement.", "ar": "تشغيل الربط."},
    "Link rsu/amo rows whose identifier is missing or unknown to their likeliest RNP person."
    "\n\nWrites OUT/links.parquet (the contract's links) and OUT/linkage.json. Bad input "
    "exits 2\nwith the contract check table and writes nothing.": {
        "fr": "Apparie les lignes rsu/amo à l'identifiant absent ou inconnu avec la personne "
        "du RNP la plus probable.\n\nÉcrit OUT/links.parquet (les appariements du contrat) et "
        "OUT/linkage.json. Des extraits non conformes donnent le code de sortie 2\navec le "
        "tableau du contrôle, et rien n'est écrit.",
        "ar": "ربط أسطر rsu/amo ذات المعرف المفقود أو غير المعروف بالشخص الأرجح في السجل "
        "الوطني للسكان.\n\nيكتب OUT/links.parquet (الربط وفق الاتفاق التبادلي) و "
        "OUT/linkage.json. عند وجود مستخرجات غير مطابقة يكون رمز الخروج 2\nمع جدول الفحص، "
        "ولا يكتب أي شيء.",
    },
    "Generate a synthetic country: contract extracts plus truth/ with what is known.": {
        "fr": "Génère un pays synthétique : des extraits au format du contrat, et truth/ avec "
        "ce qui est connu.",
        "ar": "توليد بلد اصطناعي: مستخرجات وفق الاتفاق التبادلي، ومجلد truth/ بما هو معروف عنها.",
    },
    "People in the synthetic country.": {
        "fr": "Personnes du pays synthétique.",
        "ar": "عدد سكان البلد الاصطناعي.",
    },
    "Folder to create (must not exist or be empty).": {
        "fr": "Dossier à créer (inexistant ou vide).",
        "ar": "المجلد المراد إنشاؤه (غير موجود أو فارغ).",
    },
    "Same seed, same country, byte for byte.": {
        "fr": "Même graine, même pays, octet pour octet.",
        "ar": "البذرة نفسها تعطي البلد نفسه، بايتا ببايت.",
    },
    "parquet or csv.": {"fr": "parquet ou csv.", "ar": "parquet أو csv."},
    "Reference day (default 2026-06-30).": {
        "fr": "Jour de référence (par défaut 2026-06-30).",
        "ar": "يوم المرجع (افتراضيا 2026-06-30).",
    },
    "Replace --out if it exists.": {
        "fr": "Remplacer --out s'il existe.",
        "ar": "استبدال --out إن كان موجودا.",
    },
    "Generate the demo country, reconcile it, print the national funnel and the losses.": {
        "fr": "Génère le pays de démonstration, le rapproche, affiche l'entonnoir national et "
        "les pertes.",
        "ar": "توليد بلد العرض ومطابقته، ثم عرض المسار الوطني والفقدان.",
    },
    "Folder for the demo (country/ and run/).": {
        "fr": "Dossier de la démonstration (country/ et run/).",
        "ar": "مجلد العرض (country/ و run/).",
    },
    "Also load it into the back office, with one account per role.": {
        "fr": "Le charger aussi dans le back office, avec un compte par rôle.",
        "ar": "تحميله أيضا في المكتب الخلفي، مع حساب لكل دور.",
    },
    "Then serve it (implies --back-office).": {
        "fr": "Puis le servir (implique --back-office).",
        "ar": "ثم تشغيل خادمه (يستلزم --back-office).",
    },
    "Port to serve on.": {"fr": "Port du serveur.", "ar": "منفذ الخادم."},
    "Write a reconciliation run as an Excel workbook (French and Arabic) or CSV files.": {
        "fr": "Écrit une exécution du rapprochement en classeur Excel (français et arabe) ou "
        "en fichiers CSV.",
        "ar": "كتابة نتائج عملية مطابقة في مصنف Excel (بالفرنسية والعربية) أو في ملفات CSV.",
    },
    "Output folder of `sijill reconcile`.": {
        "fr": "Dossier de sortie de `sijill reconcile`.",
        "ar": "مجلد نتائج `sijill reconcile`.",
    },
    "Workbook (xlsx) or folder (csv) to write; default inside RUN_DIR.": {
        "fr": "Classeur (xlsx) ou dossier (csv) à écrire ; par défaut dans RUN_DIR.",
        "ar": "المصنف (xlsx) أو المجلد (csv) المراد كتابته؛ افتراضيا داخل RUN_DIR.",
    },
    # The back office's commands (sijill.cli.backoffice), for one language in `sijill --help`.
    "Create or update the back-office database and load the shipped territories.": {
        "fr": "Crée ou met à jour la base du back office et charge les territoires fournis.",
        "ar": "إنشاء قاعدة بيانات المكتب الخلفي أو تحيينها، وتحميل الوحدات الترابية المرفقة.",
    },
    "Serve the back office for development (Django's runserver; use a real server in prod).": {
        "fr": "Sert le back office pour le développement (runserver de Django ; en production, "
        "utilisez un vrai serveur).",
        "ar": "تشغيل المكتب الخلفي للتطوير (runserver الخاص بـ Django؛ استعملوا خادما حقيقيا "
        "في الإنتاج).",
    },
    "Address to listen on.": {"fr": "Adresse d'écoute.", "ar": "عنوان الاستماع."},
    "Port to listen on.": {"fr": "Port d'écoute.", "ar": "منفذ الاستماع."},
    "Restart when the code changes.": {
        "fr": "Redémarrer quand le code change.",
        "ar": "إعادة التشغيل عند تغيير الشيفرة.",
    },
    "Import contract extracts into the registers (checked first; importing twice is a no-op).": {
        "fr": "Importe des extraits au format du contrat dans les registres (vérifiés "
        "d'abord ; importer deux fois ne change rien).",
        "ar": "استيراد مستخرجات وفق الاتفاق التبادلي إلى السجلات (بعد التحقق منها أولا؛ "
        "الاستيراد مرتين لا يغير شيئا).",
    },
    "Extract file (.csv or .parquet), contract format.": {
        "fr": "Fichier extrait (.csv ou .parquet), au format du contrat d'échange.",
        "ar": "ملف مستخرج (.csv أو .parquet) وفق صيغة الاتفاق التبادلي.",
    },
    "Write the registers as contract extracts (Parquet) that `sijill validate` accepts.": {
        "fr": "Écrit les registres en extraits au format du contrat (Parquet) que "
        "`sijill validate` accepte.",
        "ar": "كتابة السجلات في شكل مستخرجات وفق الاتفاق التبادلي (Parquet) يقبلها "
        "`sijill validate`.",
    },
    "Folder to write the extracts into.": {
        "fr": "Dossier où écrire les extraits.",
        "ar": "المجلد الذي تكتب فيه المستخرجات.",
    },
    "Staff accounts.": {"fr": "Comptes du personnel.", "ar": "حسابات الموظفين."},
    "Create a staff user; the password is read from standard input.": {
        "fr": "Crée un compte du personnel ; le mot de passe est lu sur l'entrée standard.",
        "ar": "إنشاء حساب موظف؛ تقرأ كلمة المرور من المدخل القياسي.",
    },
    "User name.": {"fr": "Nom d'utilisateur.", "ar": "اسم المستخدم."},
    "clerk, validator, supervisor, cnss or admin.": {
        "fr": "clerk, validator, supervisor, cnss ou admin.",
        "ar": "clerk أو validator أو supervisor أو cnss أو admin.",
    },
    "Territory code; omit for national scope (cnss, admin).": {
        "fr": "Code du territoire ; à omettre pour une portée nationale (cnss, admin).",
        "ar": "رمز الوحدة الترابية؛ يحذف للنطاق الوطني (cnss، admin).",
    },
    "API tokens.": {"fr": "Jetons d'API.", "ar": "رموز الولوج إلى واجهة البرمجة (API)."},
    "Issue an API token for a user; it is printed once and stored only as a hash.": {
        "fr": "Délivre un jeton d'API à un utilisateur ; il est affiché une seule fois et "
        "conservé seulement sous forme d'empreinte.",
        "ar": "إصدار رمز ولوج إلى واجهة البرمجة لمستخدم؛ يعرض مرة واحدة ولا يحفظ إلا في شكل بصمة.",
    },
    "The audit log.": {"fr": "Le journal d'audit.", "ar": "سجل التدقيق."},
    "Check the audit log's hash chain; exits 1 when an entry was edited or removed.": {
        "fr": "Vérifie la chaîne d'empreintes du journal d'audit ; code de sortie 1 si une "
        "entrée a été modifiée ou supprimée.",
        "ar": "التحقق من سلسلة بصمات سجل التدقيق؛ رمز الخروج 1 إذا عدل قيد أو حذف.",
    },
    "A head hash noted earlier: it must still be in the log.": {
        "fr": "Une empreinte de tête notée plus tôt : elle doit encore figurer dans le journal.",
        "ar": "بصمة رأس السلسلة المسجلة سابقا: يجب أن تظل موجودة في السجل.",
    },
}
