"""The demonstration text, Chinese with its English translation side by side.

Every visible string is a ``T(zh, en)`` pair: the builder writes the Chinese into the
page and hands the English to wagtail-localize as the translation of that string.
Body paragraphs are plain text (no markup), one paragraph per string.
"""

from collections import namedtuple
from datetime import date

T = namedtuple("T", "zh en")

HOME = {
    "slug": "home",
    "title": T("首页", "Home"),
    "hero_title": T("绿色产品标识与认证", "China Green Product Certification and Labelling"),
    "hero_text": T(
        "统一的绿色产品标准、认证、标识体系，帮助消费者、采购方和监管部门识别真正的绿色产品。",
        "One system of standards, certification and labelling for green products, so that consumers, buyers "
        "and regulators can recognise products that are green in fact.",
    ),
    "lookup_prompt": T(
        "输入证书编号或扫描产品上的二维码，核验证书真伪和状态。",
        "Enter a certificate number or scan the QR code on a product to check a certificate and its status.",
    ),
    "intro": T(
        "本网站发布绿色产品认证的政策法规、评价标准与实施规则、认证结果和市场监管信息。",
        "This site publishes the policy, evaluation standards, implementation rules, certification results "
        "and market-supervision information of the green product certification scheme.",
    ),
    "body": [
        (
            "paragraph",
            T(
                "绿色产品认证以产品全生命周期为评价对象，综合考虑资源、能源、环境和品质属性，"
                "由经批准的认证机构依据统一的评价标准和认证实施规则开展。",
                "Green product certification assesses a product over its whole life cycle, taking account of "
                "resources, energy, the environment and quality. Approved certification bodies carry it out "
                "under unified evaluation standards and implementation rules.",
            ),
        ),
    ],
}

POLICY_SECTION = {
    "slug": "policy",
    "title": T("政策法规", "Policy and regulations"),
    "intro": T(
        "绿色产品标准、认证、标识体系的法规、规章和规范性文件。",
        "Laws, regulations and normative documents of the green product standards, certification and "
        "labelling system.",
    ),
}

POLICIES = [
    {
        "slug": "state-council-opinions-2016",
        "title": T(
            "国务院办公厅关于建立统一的绿色产品标准、认证、标识体系的意见",
            "Opinions of the General Office of the State Council on establishing a unified system of "
            "standards, certification and labelling for green products",
        ),
        "document_number": "国办发〔2016〕86号",
        "issuing_authority": T("国务院办公厅", "General Office of the State Council"),
        "issued_on": date(2016, 11, 22),
        "effective_on": date(2016, 11, 22),
        "status": "in_force",
        "intro": T(
            "明确到2020年初步建立系统科学、开放融合、指标先进、权威统一的绿色产品标准、认证、标识体系。",
            "Sets the goal of a scientific, open, advanced and authoritative system of green product "
            "standards, certification and labelling.",
        ),
        "body": [
            ("heading", T("总体要求", "General requirements")),
            (
                "paragraph",
                T(
                    "将现有环保、节能、节水、循环、低碳、再生、有机等产品整合为绿色产品，"
                    "到2020年初步建立统一的绿色产品标准、认证、标识体系。",
                    "Products now labelled as environmentally friendly, energy-saving, water-saving, recycled, "
                    "low-carbon, renewable or organic are to be brought together as green products under one "
                    "system of standards, certification and labelling.",
                ),
            ),
            ("heading", T("重点任务", "Main tasks")),
            (
                "paragraph",
                T(
                    "统一绿色产品内涵和评价方法，构建统一的绿色产品标准、认证、标识体系，"
                    "实施统一的绿色产品评价标准清单和认证目录，创新绿色产品评价标准供给机制。",
                    "Define green products and how they are assessed in one way, publish one list of "
                    "evaluation standards and one certification catalogue, and open the writing of "
                    "standards to more contributors.",
                ),
            ),
        ],
        "attachment": T("意见全文", "Full text of the Opinions"),
    },
    {
        "slug": "first-catalogue-2018",
        "title": T(
            "关于发布绿色产品评价标准清单及认证目录（第一批）的公告",
            "Announcement of the list of green product evaluation standards and the certification catalogue "
            "(first batch)",
        ),
        "document_number": "市场监管总局公告2018年第2号",
        "issuing_authority": T("国家市场监督管理总局", "State Administration for Market Regulation"),
        "issued_on": date(2018, 4, 2),
        "effective_on": date(2018, 4, 2),
        "status": "amended",
        "intro": T(
            "公布人造板和木质地板、涂料、卫生陶瓷等首批绿色产品评价标准清单及认证目录。",
            "Publishes the first list of evaluation standards and the certification catalogue, beginning "
            "with wood-based panels and flooring, coatings and sanitary ceramics.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "首批认证目录涵盖建材、轻工、纺织等领域的12类产品，认证机构应依据清单所列标准开展认证。",
                    "The first catalogue covers twelve kinds of building-material, light-industry and textile "
                    "products; certification bodies certify them against the standards on the list.",
                ),
            ),
            (
                "notice",
                T(
                    "本公告所附目录已由后续公告补充修订，请以最新目录为准。",
                    "The catalogue attached to this announcement has since been amended; the latest catalogue "
                    "applies.",
                ),
            ),
        ],
        "attachment": T(
            "评价标准清单及认证目录（第一批）", "Evaluation standards and certification catalogue (first batch)"
        ),
    },
    {
        "slug": "mark-administration-2019",
        "title": T("绿色产品标识使用管理办法", "Measures for the administration of the green product mark"),
        "document_number": "市场监管总局公告2019年第20号",
        "issuing_authority": T("国家市场监督管理总局", "State Administration for Market Regulation"),
        "issued_on": date(2019, 5, 5),
        "effective_on": date(2019, 5, 5),
        "status": "in_force",
        "intro": T(
            "规定绿色产品标识的式样、适用范围和使用要求，以及对违规使用标识的处理。",
            "Sets out the design of the green product mark, where it may be used, how it must be shown and "
            "how misuse is dealt with.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "获得绿色产品认证的产品，可以在产品或其最小销售包装上使用绿色产品标识，"
                    "并应同时标注认证机构名称或代号。",
                    "A certified product may carry the green product mark on the product or its smallest sales "
                    "package, together with the name or code of the certification body.",
                ),
            ),
            (
                "paragraph",
                T(
                    "伪造、冒用、转让绿色产品标识的，由市场监管部门依法查处。",
                    "Forging, misusing or transferring the mark is investigated and punished by market "
                    "regulators under the law.",
                ),
            ),
        ],
        "attachment": T("管理办法全文", "Full text of the Measures"),
    },
    {
        "slug": "pilot-programme-2018",
        "title": T(
            "绿色产品认证与标识体系建设试点工作方案",
            "Work plan for the pilot of the green product certification and labelling system",
        ),
        "document_number": "国认证〔2018〕12号",
        "issuing_authority": T("国家认证认可监督管理委员会", "Certification and Accreditation Administration"),
        "issued_on": date(2018, 3, 15),
        "effective_on": date(2018, 3, 15),
        "status": "repealed",
        "intro": T(
            "在浙江湖州等地开展绿色产品认证试点，探索认证结果采信机制。",
            "Launched pilots of green product certification in Huzhou, Zhejiang and other places to test how "
            "certification results are used.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "试点工作已于2020年结束，相关经验已纳入现行制度，本方案不再执行。",
                    "The pilots ended in 2020 and what they taught has been built into the current rules; this "
                    "work plan no longer applies.",
                ),
            ),
        ],
        "attachment": None,
    },
    {
        "slug": "deepening-certification-2023",
        "title": T(
            "关于进一步推进绿色产品认证和采信工作的通知",
            "Notice on further promoting green product certification and the use of its results",
        ),
        "document_number": "国市监认证发〔2023〕15号",
        "issuing_authority": T("国家市场监督管理总局", "State Administration for Market Regulation"),
        "issued_on": date(2023, 3, 10),
        "effective_on": date(2023, 4, 1),
        "status": "in_force",
        "intro": T(
            "推动政府采购、金融机构和电商平台采信绿色产品认证结果，强化证书信息公开。",
            "Asks public procurement, financial institutions and online marketplaces to rely on green product "
            "certificates, and requires certificate information to be published.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "认证机构应在证书颁发、变更、暂停、撤销后及时报送证书信息，确保公众可查询。",
                    "Certification bodies must report each certificate promptly when it is issued, changed, "
                    "suspended or withdrawn, so that the public can look it up.",
                ),
            ),
            (
                "paragraph",
                T(
                    "鼓励生产企业实行一物一码，便于消费者扫码核验获证产品。",
                    "Producers are encouraged to give each product its own code, so that consumers can check a "
                    "certified product by scanning it.",
                ),
            ),
        ],
        "attachment": T("通知全文", "Full text of the Notice"),
    },
]

ADOPTION_SECTION = {
    "slug": "adoption",
    "title": T("认证采信", "Certification adoption"),
    "intro": T(
        "绿色产品评价标准、认证实施规则和技术文件，以及市场、消费、金融和采购领域对认证结果的采信。",
        "Evaluation standards, implementation rules and technical documents, and how markets, consumers, "
        "finance and procurement rely on certification results.",
    ),
}

STANDARD_INDEX = {
    "slug": "standards",
    "title": T("评价标准", "Evaluation standards"),
    "intro": T(
        "纳入绿色产品评价标准清单的国家标准，按标准编号排列。",
        "National standards on the list of green product evaluation standards, in order of number.",
    ),
}

GENERAL_STANDARD = {
    "number": "GB/T 33761-2017",
    "slug": "gb-t-33761-2017",
    "title": T("绿色产品评价通则", "General principles for green product assessment"),
    "issued_on": date(2017, 5, 12),
    "effective_on": date(2017, 12, 1),
}

RULE_INDEX = {
    "slug": "implementation-rules",
    "title": T("实施规则", "Implementation rules"),
    "intro": T(
        "认证机构开展绿色产品认证时遵循的认证实施规则。",
        "The implementation rules certification bodies follow when they certify green products.",
    ),
}

RULES = [
    {
        "rule_code": "CNCA-CGP-01:2019",
        "slug": "cnca-cgp-01-2019",
        "title": T(
            "绿色产品认证实施规则 建材产品", "Implementation rule for green product certification: building materials"
        ),
        "categories": ["101", "102", "103", "104", "105", "106", "107", "108"],
        "issued_on": date(2019, 3, 20),
        "effective_on": date(2019, 5, 1),
        "status": "current",
    },
    {
        "rule_code": "CNCA-CGP-02:2019",
        "slug": "cnca-cgp-02-2019",
        "title": T(
            "绿色产品认证实施规则 轻工产品", "Implementation rule for green product certification: light industry"
        ),
        "categories": ["031", "032", "033", "034", "036"],
        "issued_on": date(2019, 3, 20),
        "effective_on": date(2019, 5, 1),
        "status": "current",
    },
    {
        "rule_code": "CNCA-CGP-02:2018",
        "slug": "cnca-cgp-02-2018",
        "title": T(
            "绿色产品认证实施规则 家具（试行）",
            "Implementation rule for green product certification: furniture (trial)",
        ),
        "categories": ["031"],
        "issued_on": date(2018, 6, 1),
        "effective_on": date(2018, 7, 1),
        "status": "superseded",
        "superseded_by": "cnca-cgp-02-2019",
    },
    {
        "rule_code": "CNCA-CGP-03:2019",
        "slug": "cnca-cgp-03-2019",
        "title": T(
            "绿色产品认证实施规则 卫生陶瓷", "Implementation rule for green product certification: sanitary ceramics"
        ),
        "categories": ["091"],
        "issued_on": date(2019, 3, 20),
        "effective_on": date(2019, 5, 1),
        "status": "current",
    },
]

ADOPTION_ARTICLES = [
    {
        "slug": "technical-documents",
        "title": T("技术文件", "Technical documents"),
        "intro": T(
            "认证检测方法、抽样要求和工厂检查要点等技术文件。",
            "Technical documents on test methods, sampling and factory inspection for certification.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "技术文件是实施规则的补充，规定检测项目的试验方法、型式试验样品数量和工厂质量保证能力要求。",
                    "Technical documents supplement the implementation rules: they give the test methods, the "
                    "number of type-test samples and what a factory must show about its quality assurance.",
                ),
            ),
        ],
        "attachment": T("工厂检查要求", "Factory inspection requirements"),
    },
    {
        "slug": "market-and-consumer-adoption",
        "title": T("市场与消费采信", "Market and consumer adoption"),
        "intro": T(
            "电商平台、大型商超和消费者如何识别和采信绿色产品认证。",
            "How online marketplaces, large retailers and consumers recognise and rely on green product "
            "certification.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "主要电商平台已设立绿色产品专区，入驻商家须提交有效的绿色产品认证证书，平台定期核验证书状态。",
                    "Major online marketplaces have green product sections; sellers must submit a valid green "
                    "product certificate, and the platform checks its status regularly.",
                ),
            ),
            (
                "paragraph",
                T(
                    "消费者可通过本网站的证书查询或扫描产品上的二维码，确认证书有效。",
                    "Consumers can confirm a certificate is valid through the lookup on this site or by scanning "
                    "the QR code on the product.",
                ),
            ),
        ],
        "attachment": None,
    },
    {
        "slug": "finance-and-procurement",
        "title": T("金融与采购支持", "Finance and procurement support"),
        "intro": T(
            "政府绿色采购、绿色信贷和绿色债券对认证结果的采信政策。",
            "How green public procurement, green credit and green bonds rely on certification results.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "政府采购需求标准将绿色产品认证作为评审因素，获证产品在评审中可获得加分。",
                    "Public procurement requirements treat green product certification as an award criterion: "
                    "certified products score higher in evaluation.",
                ),
            ),
            (
                "paragraph",
                T(
                    "部分金融机构对生产获证产品的企业提供优惠利率的绿色信贷。",
                    "Some banks offer green loans at lower rates to companies that make certified products.",
                ),
            ),
        ],
        "attachment": T("绿色采购需求标准（摘要）", "Green procurement requirements (summary)"),
    },
]

INFORMATION_SECTION = {
    "slug": "information",
    "title": T("信息发布", "Information release"),
    "intro": T(
        "绿色产品标识、认证产品目录、认证机构名录和认证结果。",
        "The green product mark, the product catalogue, the directory of certification bodies and "
        "certification results.",
    ),
}

MARK = {
    "slug": "green-product-mark",
    "title": T("绿色产品标识", "The green product mark"),
    "intro": T(
        "绿色产品标识表明产品经认证符合绿色产品评价标准。",
        "The green product mark shows that a product has been certified against a green product evaluation standard.",
    ),
    "body": [
        ("heading", T("标识的含义", "What the mark means")),
        (
            "paragraph",
            T(
                "标识由绿色圆环和叶片组成，象征产品在全生命周期中节约资源、保护环境。",
                "The mark, a green ring around a leaf, stands for a product that saves resources and protects "
                "the environment over its whole life cycle.",
            ),
        ),
        (
            "paragraph",
            T(
                "带有认证机构代号的标识，只能用于证书覆盖范围内的产品。",
                "The mark with a certification body's code may be used only on products the certificate covers.",
            ),
        ),
    ],
    "usage_rules": [
        (
            "paragraph",
            T(
                "标识可以按比例放大或缩小，但不得变形、变色或与其他标志组合使用。",
                "The mark may be enlarged or reduced in proportion, but not distorted, recoloured or combined "
                "with other marks.",
            ),
        ),
        (
            "paragraph",
            T(
                "证书暂停期间不得使用标识；证书撤销或注销后，应停止使用并销毁剩余标识。",
                "The mark may not be used while a certificate is suspended; once it is withdrawn or revoked, "
                "use must stop and remaining labels be destroyed.",
            ),
        ),
    ],
    "image_title": "绿色产品标识 / Green product mark",
}

CATALOG = {
    "slug": "product-catalogue",
    "title": T("认证产品目录", "Product catalogue"),
    "intro": T(
        "纳入绿色产品认证目录的产品大类和小类，以及对应的评价标准。",
        "The product groups and categories in the certification catalogue, with their evaluation standards.",
    ),
}

BODY_DIRECTORY = {
    "slug": "certification-bodies",
    "title": T("认证机构名录", "Certification bodies"),
    "intro": T(
        "经批准从事绿色产品认证的机构及其业务范围。",
        "The bodies approved to certify green products, and the product categories each may certify.",
    ),
}

RESULTS = {
    "slug": "certification-results",
    "title": T("认证结果", "Certification results"),
    "intro": T(
        "认证机构报送的绿色产品认证证书，可按产品类别、证书状态和认证机构筛选。",
        "Green product certificates reported by certification bodies, by product category, status and body.",
    ),
}

SUPERVISION_SECTION = {
    "slug": "supervision",
    "title": T("市场监管", "Market supervision"),
    "intro": T(
        "绿色产品认证的监督抽查和严重违法失信名单。",
        "Spot checks of green product certification and the list of serious violators.",
    ),
}

SPOT_CHECK_INDEX = {
    "slug": "spot-checks",
    "title": T("监督抽查", "Spot checks"),
    "intro": T(
        "市场监管部门对获证产品和认证活动的监督抽查通知与结果。",
        "Notices and results of market regulators' spot checks of certified products and certification work.",
    ),
}

SPOT_CHECK_NOTICES = [
    {
        "slug": "spot-check-plan-2024",
        "title": T(
            "2024年绿色产品认证有效性抽查工作安排", "Plan for the 2024 spot checks of green product certification"
        ),
        "date": date(2024, 3, 18),
        "intro": T(
            "2024年重点抽查建材、家具和纺织产品的获证产品。",
            "In 2024 the checks focus on certified building materials, furniture and textiles.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "抽查覆盖全国31个省份，重点核查获证产品与型式试验样品的一致性及标识使用情况。",
                    "The checks cover all 31 provinces and look chiefly at whether certified products match the "
                    "type-tested samples and whether the mark is used correctly.",
                ),
            ),
        ],
        "attachment": T("抽查工作安排", "Spot-check plan"),
    },
    {
        "slug": "spot-check-results-2023",
        "title": T(
            "2023年绿色产品认证有效性抽查结果通报", "Results of the 2023 spot checks of green product certification"
        ),
        "date": date(2023, 12, 20),
        "intro": T(
            "共抽查获证产品120批次，不合格8批次，相关证书已暂停或撤销。",
            "120 batches of certified products were checked and 8 failed; the certificates concerned have been "
            "suspended or withdrawn.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "不合格项目主要为甲醛释放量、挥发性有机化合物含量和标识使用不规范。",
                    "Most failures concerned formaldehyde emission, volatile organic compound content and "
                    "incorrect use of the mark.",
                ),
            ),
            (
                "paragraph",
                T(
                    "各认证机构应对不合格产品的生产企业开展追踪检查，并于30日内报送处理结果。",
                    "Certification bodies must follow up with the producers of failed products and report what "
                    "they did within 30 days.",
                ),
            ),
        ],
        "attachment": T("抽查结果汇总表", "Summary table of results"),
    },
    {
        "slug": "spot-check-results-2022",
        "title": T(
            "2022年绿色产品认证有效性抽查结果通报", "Results of the 2022 spot checks of green product certification"
        ),
        "date": date(2022, 12, 15),
        "intro": T(
            "共抽查获证产品96批次，不合格5批次。",
            "96 batches of certified products were checked and 5 failed.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "抽查发现个别企业在证书暂停期间继续使用绿色产品标识，已移交属地市场监管部门处理。",
                    "Some companies went on using the mark while their certificates were suspended; the cases "
                    "have been passed to local market regulators.",
                ),
            ),
        ],
        "attachment": None,
    },
]

BLACKLIST = {
    "slug": "blacklist",
    "title": T("严重违法失信名单", "List of serious violators"),
    "intro": T(
        "因严重违法违规被列入失信名单的认证机构和企业，列入期间依法实施联合惩戒。",
        "Certification bodies and companies listed for serious violations; joint penalties apply while they "
        "are listed.",
    ),
}

NEWS_INDEX = {
    "slug": "exchange",
    "title": T("技术交流", "Technical exchange"),
    "intro": T(
        "绿色产品认证的新闻动态、技术文章和国际合作。",
        "News, technical articles and international coordination on green product certification.",
    ),
}

NEWS = [
    {
        "slug": "catalogue-expanded-2024",
        "title": T("绿色产品认证目录扩展至38类产品", "Green product certification catalogue grows to 38 categories"),
        "date": date(2024, 6, 5),
        "category": "news",
        "intro": T(
            "新增光伏组件、净水器等产品，覆盖消费者日常使用的主要产品。",
            "Photovoltaic modules, water purifiers and other products join, covering most of what consumers "
            "use every day.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "扩展后的目录包括消费类电子电器、农食、轻工、建材等12个大类。",
                    "The enlarged catalogue has twelve groups, among them consumer electronics, agricultural "
                    "food, light industry and building materials.",
                ),
            ),
        ],
    },
    {
        "slug": "one-product-one-code",
        "title": T("“一物一码”助力获证产品溯源", "One product, one code: tracing certified products"),
        "date": date(2024, 4, 22),
        "category": "article",
        "intro": T(
            "产品追溯码将每件获证产品与证书关联，扫码即可查看证书状态。",
            "A trace code links each certified product to its certificate; a scan shows the certificate's status.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "追溯码由证书编号和产品序号组成，认证机构在颁发证书时为企业分配码段。",
                    "A trace code combines the certificate number with a product serial; the certification body "
                    "assigns a block of codes when it issues the certificate.",
                ),
            ),
            (
                "paragraph",
                T(
                    "消费者扫码后可看到产品名称、生产企业和证书是否有效，无需下载应用。",
                    "After scanning, a consumer sees the product, the producer and whether the certificate is "
                    "valid, with no app to install.",
                ),
            ),
        ],
    },
    {
        "slug": "international-mutual-recognition-forum",
        "title": T(
            "绿色产品认证国际互认研讨会在北京举行",
            "International forum on mutual recognition of green product certification held in Beijing",
        ),
        "date": date(2024, 3, 12),
        "category": "international",
        "intro": T(
            "来自15个国家和地区的认证认可机构代表交流绿色认证互认经验。",
            "Certification and accreditation bodies from 15 countries and regions shared experience of "
            "mutual recognition.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "与会代表讨论了评价标准比对、检测结果互认和认证信息共享等议题。",
                    "Delegates discussed comparing evaluation standards, recognising each other's test results "
                    "and sharing certificate information.",
                ),
            ),
        ],
    },
    {
        "slug": "building-materials-training",
        "title": T("建材产品绿色认证技术培训班举办", "Training course on green certification of building materials"),
        "date": date(2023, 11, 8),
        "category": "news",
        "intro": T(
            "面向认证机构检查员和企业技术人员，讲解最新实施规则。",
            "For certification body inspectors and company engineers, on the latest implementation rules.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "培训内容包括生命周期评价方法、工厂检查要点和证书信息报送要求。",
                    "The course covered life-cycle assessment, factory inspection and how to report certificate "
                    "information.",
                ),
            ),
        ],
    },
    {
        "slug": "lifecycle-assessment-explained",
        "title": T(
            "全生命周期评价在绿色产品认证中的应用", "How life-cycle assessment is used in green product certification"
        ),
        "date": date(2023, 9, 27),
        "category": "article",
        "intro": T(
            "从原材料获取到废弃处置，评价指标覆盖产品的每个阶段。",
            "From raw materials to disposal, the indicators cover every stage of a product's life.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "评价指标分为资源属性、能源属性、环境属性和品质属性四类，每类均设定基准值。",
                    "Indicators fall into four groups, resources, energy, environment and quality, each with a "
                    "benchmark value.",
                ),
            ),
        ],
    },
    {
        "slug": "asean-cooperation-2023",
        "title": T("中国与东盟开展绿色产品认证合作交流", "China and ASEAN exchange on green product certification"),
        "date": date(2023, 7, 18),
        "category": "international",
        "intro": T(
            "双方就绿色产品标准协调和认证结果采信达成合作意向。",
            "Both sides agreed to work towards aligned standards and the acceptance of certification results.",
        ),
        "body": [
            (
                "paragraph",
                T(
                    "下一步将选择家电和建材产品开展认证结果互认试点。",
                    "The next step is a pilot of mutual recognition for household appliances and building materials.",
                ),
            ),
        ],
    },
]


def standard_texts(category):
    """Title, introduction and body of the evaluation standard for ``category``."""
    return {
        "title": T(f"绿色产品评价 {category.name_zh}", f"Green product assessment: {category.name_en}"),
        "intro": T(
            f"规定了{category.name_zh}绿色产品评价的要求、评价方法和评价报告内容。",
            f"Sets out the requirements, assessment method and report contents for green {category.name_en.lower()}.",
        ),
        "body": [
            ("heading", T("适用范围", "Scope")),
            (
                "paragraph",
                T(
                    f"本标准适用于{category.name_zh}的绿色产品评价，评价指标包括资源属性、能源属性、环境属性和品质属性。",
                    f"This standard applies to the green product assessment of {category.name_en.lower()}; the "
                    f"indicators cover resources, energy, the environment and quality.",
                ),
            ),
        ],
    }


GENERAL_STANDARD_TEXTS = {
    "intro": T(
        "规定了绿色产品评价的基本原则、评价指标选取要求和评价方法，是各类产品评价标准的共同基础。",
        "Sets out the principles, the choice of indicators and the method of green product assessment; every "
        "product standard builds on it.",
    ),
    "body": [
        (
            "paragraph",
            T(
                "评价应遵循生命周期理念，兼顾资源、能源、环境和品质属性。",
                "Assessment follows a life-cycle approach and weighs resources, energy, the environment and quality.",
            ),
        ),
    ],
}


def rule_texts(rule):
    return {
        "intro": T(
            f"规定了{rule['title'].zh.split(' ', 1)[-1]}绿色产品认证的认证模式、认证流程和证书管理要求。",
            f"Sets out the certification scheme, procedure and certificate management for "
            f"{rule['title'].en.split(': ', 1)[-1]}.",
        ),
        "body": [
            ("heading", T("认证模式", "Certification scheme")),
            (
                "paragraph",
                T(
                    "认证模式为型式试验加初始工厂检查加获证后监督。",
                    "Type testing, an initial factory inspection and surveillance after certification.",
                ),
            ),
            ("heading", T("证书有效期", "Validity of certificates")),
            (
                "paragraph",
                T(
                    "证书有效期为5年，有效期内通过获证后监督保持证书有效。",
                    "A certificate is valid for five years, and stays valid through surveillance after certification.",
                ),
            ),
        ],
    }


SPOT_CHECK_TASKS = [
    (2022, "2022年绿色产品认证有效性抽查"),
    (2023, "2023年绿色产品认证有效性抽查"),
    (2024, "2024年绿色产品认证有效性抽查"),
]

SPOT_CHECK_SAMPLES = [
    ("101", "浙江森华木业有限公司", "强化木地板", "110000"),
    ("102", "广东美涂涂料有限公司", "内墙乳胶漆", "440000"),
    ("031", "江苏雅居家具有限公司", "实木书柜", "320000"),
    ("091", "福建鑫瓷卫浴有限公司", "坐便器", "350000"),
    ("033", "山东华纺纺织有限公司", "纯棉床单", "370000"),
    ("103", "河北晶安玻璃有限公司", "中空玻璃", "130000"),
    ("107", "佛山新陶瓷砖有限公司", "陶瓷砖", "440600"),
    ("032", "安徽清源纸业有限公司", "生活用纸", "340000"),
    ("034", "上海绿塑制品有限公司", "塑料收纳箱", "310000"),
    ("105", "天津保温建材有限公司", "岩棉板", "120000"),
    ("036", "湖北快运包装有限公司", "快递纸箱", "420000"),
    ("106", "四川防水材料有限公司", "防水卷材", "510000"),
]

SPOT_CHECK_FINDINGS = {
    "101": "甲醛释放量不符合标准要求",
    "102": "挥发性有机化合物含量超标",
    "031": "产品与型式试验样品不一致",
    "091": "标识使用不规范",
}

BLACKLIST_ENTRIES = [
    ("某认证咨询服务有限公司", "伪造绿色产品认证证书并向企业出售", date(2022, 5, 16), None),
    ("江西某建材有限公司", "冒用绿色产品标识，拒不整改", date(2023, 2, 8), date(2026, 2, 7)),
    ("河南某家具制造有限公司", "证书撤销后继续使用绿色产品标识", date(2021, 8, 3), date(2024, 8, 2)),
    ("广东某涂料科技有限公司", "提供虚假检测报告骗取认证证书", date(2024, 1, 19), date(2029, 1, 18)),
    ("浙江某纺织品有限公司", "转让绿色产品认证证书给其他企业使用", date(2020, 11, 2), date(2023, 11, 1)),
    ("北京某检测技术有限公司", "出具虚假绿色产品检测报告", date(2023, 9, 12), None),
]
BLACKLIST_DECIDED_BY = "国家市场监督管理总局"

# A holder of generated certificates, listed while still certified: (reason, decided on,
# listed until).
CERTIFIED_COMPANY_BLACKLISTING = ("在绿色产品认证抽查中拒绝提供样品，拒不整改", date(2025, 6, 20), date(2028, 6, 19))
