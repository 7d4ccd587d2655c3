"""The texts of the built-in XLSForms (``builtin_forms.py``) in the platform's six languages: the
label of each question and note by its name, and of each choice written here by its list and
name (the vocabularies' choices, regions and countries take theirs from the taxonomy and the UN
M49 table). Minamata Convention terms as in the Convention's official texts; the Area and the
solution exchange named as the interface names them."""

from typing import NamedTuple


class Language(NamedTuple):
    column: str  # an XLSForm label column: label::English (en)
    code: str  # the platform's language code, as the taxonomy's translations are named
    m49: str  # the column of HDX's country records with the M49 name in the language


LANGUAGES = (
    Language("English (en)", "en", "M49 English"),
    Language("French (fr)", "fr", "M49 French"),
    Language("Spanish (es)", "es", "M49 Spanish"),
    Language("Russian (ru)", "ru", "M49 Russian"),
    Language("Chinese (zh)", "zh-hans", "M49 Chinese"),
    Language("Arabic (ar)", "ar", "M49 Arabic"),
)


class Label(NamedTuple):
    """One text in each language, in the order of ``LANGUAGES``."""

    en: str
    fr: str
    es: str
    ru: str
    zh: str
    ar: str


QUESTIONS = {
    # Shared by both forms.
    "region": Label(en="Region", fr="Région", es="Región", ru="Регион", zh="地区", ar="المنطقة"),
    "country": Label(en="Country", fr="Pays", es="País", ru="Страна", zh="国家", ar="البلد"),
    # WMA needs questionnaire.
    "intro": Label(
        en="Tell the Mercury Waste Management Area what you need.",
        fr="Dites au domaine des déchets de mercure ce dont vous avez besoin.",
        es="Diga al área de gestión de desechos de mercurio lo que necesita.",
        ru="Сообщите Области регулирования ртутных отходов о ваших потребностях.",
        zh="请告诉汞废物管理领域您的需求。",
        ar="أخبر مجال إدارة نفايات الزئبق بما تحتاج إليه.",
    ),
    "stakeholder_type": Label(
        en="What kind of organization do you answer for?",
        fr="Pour quel type d'organisation répondez-vous ?",
        es="¿Por qué tipo de organización responde?",
        ru="Организацию какого типа вы представляете?",
        zh="您代表哪类组织作答？",
        ar="ما نوع المنظمة التي تجيب باسمها؟",
    ),
    "organization": Label(
        en="Name of your organization",
        fr="Nom de votre organisation",
        es="Nombre de su organización",
        ru="Название вашей организации",
        zh="您所在组织的名称",
        ar="اسم منظمتك",
    ),
    "waste_categories": Label(
        en="Which mercury wastes concern you?",
        fr="Quels déchets de mercure vous concernent ?",
        es="¿Qué desechos de mercurio le preocupan?",
        ru="Какие ртутные отходы вас касаются?",
        zh="哪些汞废物与您有关？",
        ar="ما نفايات الزئبق التي تعنيك؟",
    ),
    "phases": Label(
        en="In which management phases do you face challenges?",
        fr="Dans quelles phases de gestion rencontrez-vous des difficultés ?",
        es="¿En qué fases de la gestión encuentra dificultades?",
        ru="На каких этапах обращения с отходами вы сталкиваетесь с трудностями?",
        zh="您在哪些管理阶段遇到困难？",
        ar="في أي مراحل الإدارة تواجه صعوبات؟",
    ),
    "support_types": Label(
        en="What types of support do you need?",
        fr="De quels types de soutien avez-vous besoin ?",
        es="¿Qué tipos de apoyo necesita?",
        ru="Какие виды поддержки вам нужны?",
        zh="您需要哪些类型的支持？",
        ar="ما أنواع الدعم التي تحتاج إليها؟",
    ),
    "needs_description": Label(
        en="Describe your needs in your own words",
        fr="Décrivez vos besoins avec vos propres mots",
        es="Describa sus necesidades con sus propias palabras",
        ru="Опишите свои потребности своими словами",
        zh="请用您自己的话描述您的需求",
        ar="صف احتياجاتك بكلماتك الخاصة",
    ),
    "consent_exchange": Label(
        en="May the needs you declare be posted in the solution exchange?",
        fr="Les besoins que vous déclarez peuvent-ils être publiés dans la bourse de solutions ?",
        es="¿Pueden publicarse las necesidades que declara en el intercambio de soluciones?",
        ru="Можно ли опубликовать заявленные вами потребности в «Обмене решениями»?",
        zh="您申报的需求可以发布到解决方案交流平台上吗？",
        ar="هل يجوز نشر الاحتياجات التي تعلن عنها في تبادل الحلول؟",
    ),
    # ASGM mining-site baseline.
    "site_name": Label(
        en="Site name",
        fr="Nom du site",
        es="Nombre del sitio",
        ru="Название участка",
        zh="矿点名称",
        ar="اسم الموقع",
    ),
    "site_code": Label(
        en="Site code",
        fr="Code du site",
        es="Código del sitio",
        ru="Код участка",
        zh="矿点编号",
        ar="رمز الموقع",
    ),
    "location": Label(
        en="Coordinates of the site",
        fr="Coordonnées du site",
        es="Coordenadas del sitio",
        ru="Координаты участка",
        zh="矿点坐标",
        ar="إحداثيات الموقع",
    ),
    "admin_area": Label(
        en="Administrative area (province, district)",
        fr="Division administrative (province, district)",
        es="Área administrativa (provincia, distrito)",
        ru="Административная единица (провинция, район)",
        zh="行政区（省、县）",
        ar="المنطقة الإدارية (المحافظة، المديرية)",
    ),
    "deposit_type": Label(
        en="Deposit type",
        fr="Type de gisement",
        es="Tipo de yacimiento",
        ru="Тип месторождения",
        zh="矿床类型",
        ar="نوع الرواسب المعدنية",
    ),
    "miners": Label(
        en="Number of miners",
        fr="Nombre de mineurs",
        es="Número de mineros",
        ru="Число горняков",
        zh="矿工人数",
        ar="عدد عمال المناجم",
    ),
    "women": Label(
        en="Number of women working at the site",
        fr="Nombre de femmes travaillant sur le site",
        es="Número de mujeres que trabajan en el sitio",
        ru="Число женщин, работающих на участке",
        zh="在矿点工作的妇女人数",
        ar="عدد النساء العاملات في الموقع",
    ),
    "children": Label(
        en="Number of children working at the site",
        fr="Nombre d'enfants travaillant sur le site",
        es="Número de niños que trabajan en el sitio",
        ru="Число детей, работающих на участке",
        zh="在矿点工作的儿童人数",
        ar="عدد الأطفال العاملين في الموقع",
    ),
    "processing_methods": Label(
        en="Processing methods used",
        fr="Méthodes de traitement utilisées",
        es="Métodos de procesamiento utilizados",
        ru="Применяемые методы переработки",
        zh="采用的加工方法",
        ar="طرق المعالجة المستخدمة",
    ),
    "amalgamation": Label(
        en="What is amalgamated?",
        fr="Qu'est-ce qui est amalgamé ?",
        es="¿Qué se amalgama?",
        ru="Что подвергается амальгамированию?",
        zh="对什么进行汞齐化？",
        ar="ما الذي تجري ملغمته؟",
    ),
    "retort_use": Label(
        en="Are retorts used?",
        fr="Des cornues sont-elles utilisées ?",
        es="¿Se usan retortas?",
        ru="Используются ли реторты?",
        zh="是否使用蒸馏罐？",
        ar="هل تُستخدم المعوجات؟",
    ),
    "burning_place": Label(
        en="Where is amalgam burned?",
        fr="Où l'amalgame est-il brûlé ?",
        es="¿Dónde se quema la amalgama?",
        ru="Где сжигают амальгаму?",
        zh="在哪里焚烧汞齐？",
        ar="أين يُحرق الملغم؟",
    ),
    "cyanidation_of_mercury_tailings": Label(
        en="Are mercury-contaminated tailings leached with cyanide?",
        fr="Les résidus contaminés au mercure sont-ils lixiviés au cyanure ?",
        es="¿Se lixivian con cianuro los relaves contaminados con mercurio?",
        ru="Проводится ли цианидное выщелачивание хвостов, загрязнённых ртутью?",
        zh="是否对受汞污染的尾矿进行氰化物沥滤？",
        ar="هل يُجرى ترشيح المخلفات الملوثة بالزئبق بالسيانيد؟",
    ),
    "mercury_kg_per_month": Label(
        en="Mercury used per month (kg)",
        fr="Mercure utilisé par mois (kg)",
        es="Mercurio utilizado por mes (kg)",
        ru="Ртуть, используемая в месяц (кг)",
        zh="每月用汞量（千克）",
        ar="الزئبق المستخدم شهرياً (كغ)",
    ),
    "mercury_source": Label(
        en="Where does the mercury come from?",
        fr="D'où vient le mercure ?",
        es="¿De dónde proviene el mercurio?",
        ru="Откуда поступает ртуть?",
        zh="汞从何处获得？",
        ar="من أين يأتي الزئبق؟",
    ),
    "gold_g_per_month": Label(
        en="Gold produced per month (g)",
        fr="Or produit par mois (g)",
        es="Oro producido por mes (g)",
        ru="Золото, добываемое в месяц (г)",
        zh="每月产金量（克）",
        ar="الذهب المنتج شهرياً (غ)",
    ),
    "licensing_status": Label(
        en="Licensing status",
        fr="Statut du permis",
        es="Situación de la licencia",
        ru="Статус лицензии",
        zh="许可状况",
        ar="حالة الترخيص",
    ),
    "worst_practices_observed": Label(
        en="Worst practices observed (Minamata Convention, Annex C)",
        fr="Pires pratiques observées (Convention de Minamata, annexe C)",
        es="Peores prácticas observadas (Convenio de Minamata, anexo C)",
        ru="Наблюдаемые наихудшие виды практики (Минаматская конвенция, приложение C)",
        zh="观察到的最恶劣做法（《水俣公约》附件C）",
        ar="أسوأ الممارسات الملحوظة (اتفاقية ميناماتا، المرفق جيم)",
    ),
    "site_photo": Label(
        en="Photo of the processing area",
        fr="Photo de la zone de traitement",
        es="Foto del área de procesamiento",
        ru="Фотография площадки переработки",
        zh="加工区照片",
        ar="صورة منطقة المعالجة",
    ),
    "health_observations": Label(
        en="Health observations",
        fr="Observations sanitaires",
        es="Observaciones de salud",
        ru="Наблюдения за состоянием здоровья",
        zh="健康状况观察",
        ar="ملاحظات صحية",
    ),
}

# The question asked for each management phase chosen, the phase's label in place of {}.
CHALLENGE = Label(
    en="Challenges in this phase: {}",
    fr="Difficultés dans cette phase : {}",
    es="Dificultades en esta fase: {}",
    ru="Трудности на этом этапе: {}",
    zh="该阶段的困难：{}",
    ar="الصعوبات في هذه المرحلة: {}",
)

CHOICES = {
    "yes_no": {
        "yes": Label(en="Yes", fr="Oui", es="Sí", ru="Да", zh="是", ar="نعم"),
        "no": Label(en="No", fr="Non", es="No", ru="Нет", zh="否", ar="لا"),
    },
    "deposit_type": {
        "alluvial": Label(
            en="Alluvial",
            fr="Alluvionnaire",
            es="Aluvial",
            ru="Россыпное",
            zh="冲积矿床",
            ar="رواسب غرينية",
        ),
        "hard_rock": Label(
            en="Hard rock",
            fr="Roche dure",
            es="Roca dura",
            ru="Коренное",
            zh="硬岩矿床",
            ar="صخور صلبة",
        ),
    },
    "processing": {
        "gravity": Label(
            en="Gravity concentration",
            fr="Concentration gravimétrique",
            es="Gravimetría",
            ru="Гравитационное обогащение",
            zh="重力选矿",
            ar="التركيز بالجاذبية",
        ),
        "amalgamation": Label(
            en="Amalgamation",
            fr="Amalgamation",
            es="Amalgamación",
            ru="Амальгамирование",
            zh="汞齐化",
            ar="الملغمة",
        ),
        "cyanidation": Label(
            en="Cyanidation",
            fr="Cyanuration",
            es="Cianuración",
            ru="Цианирование",
            zh="氰化",
            ar="المعالجة بالسيانيد",
        ),
        "direct_smelting": Label(
            en="Direct smelting",
            fr="Fusion directe",
            es="Fundición directa",
            ru="Прямая плавка",
            zh="直接熔炼",
            ar="الصهر المباشر",
        ),
        "flotation": Label(
            en="Flotation", fr="Flottation", es="Flotación", ru="Флотация", zh="浮选", ar="التعويم"
        ),
    },
    "amalgamation": {
        "whole_ore": Label(
            en="Whole ore",
            fr="Minerai entier",
            es="Mineral en bruto",
            ru="Вся руда",
            zh="整矿",
            ar="الخام بأكمله",
        ),
        "concentrate": Label(
            en="Concentrate",
            fr="Concentré",
            es="Concentrado",
            ru="Концентрат",
            zh="精矿",
            ar="المركَّز",
        ),
    },
    "frequency": {
        "always": Label(
            en="Always",
            fr="Toujours",
            es="Siempre",
            ru="Всегда",
            zh="总是",
            ar="دائماً",
        ),
        "sometimes": Label(
            en="Sometimes", fr="Parfois", es="A veces", ru="Иногда", zh="有时", ar="أحياناً"
        ),
        "never": Label(en="Never", fr="Jamais", es="Nunca", ru="Никогда", zh="从不", ar="أبداً"),
    },
    "burning_place": {
        "open_air": Label(
            en="In the open air",
            fr="À l'air libre",
            es="Al aire libre",
            ru="Под открытым небом",
            zh="露天",
            ar="في الهواء الطلق",
        ),
        "homes": Label(
            en="In homes",
            fr="Dans les habitations",
            es="En las viviendas",
            ru="В жилых домах",
            zh="在住宅内",
            ar="في المنازل",
        ),
        "fume_hood": Label(
            en="Under a fume hood",
            fr="Sous une hotte",
            es="Bajo una campana extractora",
            ru="Под вытяжным колпаком",
            zh="在排烟罩下",
            ar="تحت غطاء شفط الأبخرة",
        ),
    },
    "mercury_source": {
        "local_dealer": Label(
            en="Local dealer",
            fr="Négociant local",
            es="Comerciante local",
            ru="Местный торговец",
            zh="当地经销商",
            ar="تاجر محلي",
        ),
        "gold_buyer": Label(
            en="Gold buyer",
            fr="Acheteur d'or",
            es="Comprador de oro",
            ru="Скупщик золота",
            zh="黄金收购商",
            ar="مشتري الذهب",
        ),
        "imported": Label(
            en="Imported", fr="Importé", es="Importado", ru="Импортная", zh="进口", ar="مستورد"
        ),
        "recycled": Label(
            en="Recycled", fr="Recyclé", es="Reciclado", ru="Вторичная", zh="回收", ar="معاد تدويره"
        ),
        "unknown": Label(
            en="Unknown",
            fr="Inconnue",
            es="Desconocida",
            ru="Неизвестно",
            zh="不详",
            ar="غير معروف",
        ),
    },
    "licensing": {
        "licensed": Label(
            en="Licensed",
            fr="Autorisé",
            es="Con licencia",
            ru="Имеется лицензия",
            zh="已获许可",
            ar="مرخَّص",
        ),
        "in_process": Label(
            en="Licence applied for",
            fr="Permis demandé",
            es="Licencia en trámite",
            ru="Лицензия запрошена",
            zh="已申请许可",
            ar="قُدِّم طلب الترخيص",
        ),
        "unlicensed": Label(
            en="Unlicensed",
            fr="Sans permis",
            es="Sin licencia",
            ru="Без лицензии",
            zh="无许可",
            ar="غير مرخَّص",
        ),
    },
}
