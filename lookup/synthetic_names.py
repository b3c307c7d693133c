"""Words the synthetic data generator builds names from: brands, company forms,
product vocabularies by category (with model-number makers, standards and yearly
savings), status reasons, schemes and foreign manufacturers.

Every maker takes the generator's ``random.Random`` so that the data repeats.
"""

import itertools
from dataclasses import dataclass

from .models import Status

# Characters for brand names and roads, with the pinyin used in English names.
BRAND_SYLLABLES = (
    ("海", "hai"), ("川", "chuan"), ("华", "hua"), ("美", "mei"), ("新", "xin"), ("康", "kang"),
    ("瑞", "rui"), ("丰", "feng"), ("联", "lian"), ("德", "de"), ("鑫", "xin"), ("宏", "hong"),
    ("远", "yuan"), ("达", "da"), ("泰", "tai"), ("恒", "heng"), ("盛", "sheng"), ("嘉", "jia"),
    ("禾", "he"), ("青", "qing"), ("源", "yuan"), ("润", "run"), ("启", "qi"), ("正", "zheng"),
    ("安", "an"), ("明", "ming"), ("光", "guang"), ("辰", "chen"), ("星", "xing"), ("宇", "yu"),
    ("天", "tian"), ("博", "bo"), ("创", "chuang"), ("信", "xin"), ("力", "li"), ("科", "ke"),
    ("益", "yi"), ("捷", "jie"), ("峰", "feng"), ("阳", "yang"), ("立", "li"), ("卓", "zhuo"),
    ("航", "hang"), ("锦", "jin"), ("云", "yun"), ("帆", "fan"), ("诺", "nuo"), ("凯", "kai"),
    ("迪", "di"), ("威", "wei"), ("朗", "lang"), ("森", "sen"), ("林", "lin"), ("江", "jiang"),
    ("金", "jin"), ("沃", "wo"), ("睿", "rui"), ("晶", "jing"), ("尚", "shang"), ("奥", "ao"),
    ("雅", "ya"), ("欧", "ou"), ("格", "ge"), ("普", "pu"), ("荣", "rong"), ("旭", "xu"),
)  # fmt: skip
ROAD_KINDS = (("路", "Road"), ("大道", "Avenue"), ("街", "Street"))
ZONES = (
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("高新技术产业开发区", "Hi-tech Industrial Development Zone"),
    ("工业园区", "Industrial Park"),
    ("", ""),
)
COMPANY_FORMS = (
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Co., Ltd."),
    ("集团有限公司", "Group Co., Ltd."),
    ("科技有限公司", "Technology Co., Ltd."),
)
COMPANY_FORM_WEIGHTS = tuple(itertools.accumulate((60, 28, 7, 5)))
# Provinces where most certified manufacturers are; the others weigh 1.
PROVINCE_WEIGHTS = {
    "44": 14, "32": 12, "33": 12, "37": 10, "35": 6, "31": 5, "34": 5, "41": 5, "11": 4, "13": 4,
    "42": 4, "43": 4, "51": 4, "12": 3, "21": 3, "36": 3, "50": 3, "45": 2, "61": 2,
}  # fmt: skip
MUNICIPALITIES = ("110000", "120000", "310000", "500000")
PROVINCE_ONLY = ("71", "81", "82")  # Taiwan, Hong Kong, Macao: no USCC, no prefectures in the table

STATUSES = (Status.VALID, Status.SUSPENDED, Status.WITHDRAWN, Status.REVOKED)
STATUS_WEIGHTS = tuple(itertools.accumulate((84, 7, 6, 3)))
EXPIRED_MARKED_SHARE = 0.6  # past their expiry date: the rest stay "valid" and read as expired by date
SUSPENDED_FIRST_SHARE = 0.4  # withdrawn or revoked after a suspension
REASONS = {
    Status.SUSPENDED: (
        "未按期接受年度监督审核",
        "监督抽样检验结果不合格",
        "获证组织申请暂停证书",
        "生产条件发生重大变化未及时报告",
        "认证标志使用不符合规定",
        "工厂检查发现质量保证能力不符合要求",
    ),
    Status.WITHDRAWN: (
        "获证组织申请注销证书",
        "获证产品已停止生产",
        "暂停期满未完成整改",
        "获证组织已注销营业执照",
        "认证依据标准换版后未申请转换",
    ),
    Status.REVOKED: (
        "国家监督抽查产品质量严重不合格",
        "提供虚假认证申请材料",
        "暂停期间继续使用认证证书和标志",
        "出现严重质量问题拒不整改",
        "获证产品与型式试验样品不一致",
    ),
    Status.EXPIRED: ("证书有效期满未申请再认证", "证书到期"),
}

SCHEMES = {
    "environmental labelling": "中国环境标志",
    "energy saving": "节能产品认证标志",
    "water saving": "节水产品认证标志",
    "low carbon": "低碳产品认证标志",
    "organic": "中国有机产品认证标志",
    "recycling": "资源循环利用产品认证标志",
}
GREEN_SCHEME = "green product certification"
GREEN_MARK = "中国绿色产品"
LEGACY_SCHEME_SHARE = 0.12
MODES = {
    "default": "型式试验+初始工厂检查+获证后监督",
    "02": "产地环境检查+产品检验+获证后监督",
    "11": "设计评价+运行评价+获证后监督",
    "06": "设计评估+型式试验+初始工厂检查+获证后监督",
}


def pick(rng, values):
    return values[rng.randrange(len(values))]


# Model numbers, one maker per kind of product: ``model(rng, initials)``.
def _fridge(rng, initials):
    return f"BCD-{pick(rng, (215, 250, 320, 405, 470, 520, 558, 610))}{pick(rng, ('W', 'WP', 'WPG', 'WH', ''))}"


def _air_conditioner(rng, initials):
    return f"KFR-{pick(rng, (26, 32, 35, 50, 51, 72, 120))}{pick(rng, ('GW', 'LW'))}/{initials}{rng.randint(1, 9)}"


def _washer(rng, initials):
    return f"{pick(rng, ('XQG', 'XQB'))}{pick(rng, (80, 90, 100, 120))}-{initials}{rng.randint(10, 99)}"


def _television(rng, initials):
    return f"{initials}-{pick(rng, (43, 50, 55, 65, 75, 85))}{pick(rng, ('U7', 'E8', 'Q9', 'A6', 'M5'))}"


def _water_heater(rng, initials):
    litres, power = pick(rng, (50, 60, 80, 100)), pick(rng, ("15", "21", "30", "32"))
    return f"F{litres}-{power}{pick(rng, 'ABCDEH')}{rng.randint(1, 9)}"


def _tagged(*tags, low=100, high=9999):
    def model(rng, initials):
        return f"{initials}-{pick(rng, tags)}{rng.randint(low, high)}"

    return model


def _package(*sizes, unit):
    def model(rng, initials):
        return f"{pick(rng, sizes)}/{unit}"

    return model


def _paper(rng, initials):
    return f"{initials}-{pick(rng, ('A4', 'A3', 'B5'))}-{pick(rng, (70, 75, 80))}g"


def _electric_bicycle(rng, initials):
    return f"TDT{rng.randint(1000, 9999)}Z"


def _tyre(rng, initials):
    size = pick(rng, ("195/65R15", "205/55R16", "225/45R17", "235/55R18", "265/65R17"))
    return f"{size} {pick(rng, ('91V', '94W', '100H', '112S'))}"


def _led(*kinds, watts):
    def model(rng, initials):
        return f"{initials}-{pick(rng, kinds)}{pick(rng, watts)}W"

    return model


def _wind_turbine(rng, initials):
    return f"{initials}{pick(rng, (121, 131, 141, 156, 171, 182))}-{pick(rng, ('2.5', '3.6', '4.5', '5.0', '6.25'))}MW"


def _pv_module(rng, initials):
    return f"{initials}{pick(rng, (54, 66, 72, 78))}HC-{pick(rng, (410, 450, 550, 580, 610))}W"


def _solar_water_heater(rng, initials):
    return f"{initials}-{pick(rng, ('QB-J', 'QB-Z', 'PB-J'))}-{pick(rng, (150, 200, 250, 300))}L"


def _transformer(rng, initials):
    return f"{pick(rng, ('SCB13', 'SCB14', 'S13-M', 'S20-M'))}-{pick(rng, (400, 630, 800, 1000, 1250, 2000))}/10"


def _motor(rng, initials):
    frame = pick(rng, ("80M1", "90S", "100L", "112M", "132S", "160M", "180M", "200L"))
    return f"YE{pick(rng, (3, 4, 5))}-{frame}-{pick(rng, (2, 4, 6))}"


def _water_purifier(rng, initials):
    return f"{initials}-RO{pick(rng, (400, 600, 800, 1000, 1200))}G"


def _board(rng, initials):
    return f"{pick(rng, ('1220×2440', '1215×195', '910×125', '1830×915'))}×{pick(rng, (9, 12, 15, 18))}mm"


def _glass(rng, initials):
    return pick(rng, ("6Low-E+12A+6", "5+9A+5", "8Low-E+12Ar+8", "6+12A+6+12A+6", "TP10", "TP12"))


def _block(rng, initials):
    size = pick(rng, ("600×240×200", "600×200×240", "390×190×190"))
    return f"{pick(rng, ('B05', 'B06', 'A3.5', 'A5.0', 'MU10'))} {size}"


def _insulation(rng, initials):
    return f"{pick(rng, ('XPS', 'EPS', 'RW', 'GW'))}-{pick(rng, (20, 30, 40, 50, 80, 100))}mm"


def _membrane(rng, initials):
    return pick(rng, ("SBS I PY PE PE 3", "SBS II PY S 4", "APP I PY M 4", "JS-II", "PU-I", "MS-25LM"))


def _tile(rng, initials):
    return (
        f"{pick(rng, ('600×600', '800×800', '600×1200', '750×1500', '300×600'))} {initials}{rng.randint(1000, 9999)}"
    )


def _building(rng, initials):
    return f"{rng.randint(1, 24)}#{pick(rng, ('楼', '住宅楼', '办公楼'))}"


def _boiler(rng, initials):
    kind, tonnes = pick(rng, ("WNS", "SZS", "DZL", "SZL")), pick(rng, (4, 6, 10, 15, 20, 25))
    return f"{kind}{tonnes}-{pick(rng, ('1.25', '1.6', '2.5'))}-{pick(rng, ('Y/Q', 'Q', 'AII', 'T'))}"


def _compressor(rng, initials):
    return f"{initials}-{pick(rng, (22, 37, 55, 75, 90, 132, 160, 250))}{pick(rng, ('A', 'V', 'PM'))}"


def _generic(rng, initials):
    return f"{initials}-{rng.randint(100, 9999)}{pick(rng, ('', 'A', 'B', 'S', 'Pro'))}"


@dataclass(frozen=True)
class Vocabulary:
    """How products of one category are named: ``products`` and ``features`` are
    (Chinese, English) pairs, ``industries`` the trade word of a company making
    them, ``model`` makes a model number, ``saving`` the range of kWh a unit saves
    a year (or None)."""

    products: tuple
    features: tuple = ()
    industries: tuple = ()
    model: object = _generic
    saving: tuple | None = None
    standards: tuple = ()


APPLIANCES = (("电器", "Electric Appliance"), ("家电", "Home Appliances"), ("电子", "Electronics"))
VOCABULARY = {
    "011": Vocabulary(
        (("家用电冰箱", "household refrigerator"), ("冷藏冷冻箱", "refrigerator-freezer")),
        (
            ("变频", "inverter"),
            ("节能", "energy-saving"),
            ("风冷无霜", "frost-free"),
            ("对开门", "side-by-side"),
            ("多门", "multi-door"),
        ),
        APPLIANCES,
        _fridge,
        (40, 120),
        ("GB 12021.2-2015",),
    ),
    "012": Vocabulary(
        (
            ("房间空气调节器", "room air conditioner"),
            ("分体壁挂式空调器", "split wall-mounted air conditioner"),
            ("柜式空调器", "floor-standing air conditioner"),
        ),
        (("变频", "inverter"), ("节能", "energy-saving"), ("新一级能效", "grade 1 efficiency"), ("静音", "low-noise")),
        APPLIANCES + (("空调", "Air Conditioning"),),
        _air_conditioner,
        (150, 450),
        ("GB 21455-2019",),
    ),
    "013": Vocabulary(
        (
            ("滚筒洗衣机", "drum washing machine"),
            ("波轮洗衣机", "pulsator washing machine"),
            ("洗烘一体机", "washer-dryer"),
        ),
        (("变频", "inverter"), ("节水", "water-saving"), ("直驱", "direct-drive"), ("除菌", "antibacterial")),
        APPLIANCES,
        _washer,
        (10, 40),
        ("GB 12021.4-2013",),
    ),
    "014": Vocabulary(
        (
            ("液晶电视机", "LCD television"),
            ("4K超高清电视机", "4K ultra-HD television"),
            ("智能电视机", "smart television"),
        ),
        (("低功耗", "low-power"), ("护眼", "eye-care"), ("全面屏", "full-screen")),
        APPLIANCES + (("视像", "Vision"),),
        _television,
        (30, 90),
        ("GB 24850-2020",),
    ),
    "015": Vocabulary(
        (
            ("储水式电热水器", "storage electric water heater"),
            ("即热式电热水器", "instantaneous electric water heater"),
        ),
        (("节能", "energy-saving"), ("速热", "quick-heating"), ("一级能效", "grade 1 efficiency")),
        APPLIANCES + (("热水器", "Water Heater"),),
        _water_heater,
        (50, 200),
        ("GB 21519-2008",),
    ),
    "016": Vocabulary(
        (
            ("台式微型计算机", "desktop computer"),
            ("笔记本电脑", "notebook computer"),
            ("一体式计算机", "all-in-one computer"),
        ),
        (("低功耗", "low-power"), ("轻薄", "slim"), ("商用", "business")),
        (("电子", "Electronics"), ("计算机", "Computer"), ("信息技术", "Information Technology")),
        _tagged("D", "M", "T", "N", low=1000),
        (20, 60),
        ("GB 28380-2012",),
    ),
    "021": Vocabulary(
        (("大米", "rice"), ("粳米", "japonica rice"), ("香米", "fragrant rice")),
        (("有机", "organic"), ("生态", "eco"), ("富硒", "selenium-rich")),
        (("米业", "Rice"), ("粮油", "Grain and Oil"), ("农业", "Agriculture")),
        _package("2.5kg", "5kg", "10kg", "25kg", unit="袋"),
        None,
        ("GB/T 1354-2018",),
    ),
    "022": Vocabulary(
        (("绿茶", "green tea"), ("红茶", "black tea"), ("乌龙茶", "oolong tea"), ("白茶", "white tea")),
        (("高山", "high-mountain"), ("生态", "eco"), ("明前", "early-spring")),
        (("茶业", "Tea"), ("农业", "Agriculture")),
        _package("100g", "250g", "500g", unit="罐"),
    ),
    "023": Vocabulary(
        (("菜籽油", "rapeseed oil"), ("花生油", "peanut oil"), ("大豆油", "soybean oil"), ("茶籽油", "camellia oil")),
        (("压榨", "pressed"), ("一级", "grade 1"), ("非转基因", "non-GMO")),
        (("粮油", "Grain and Oil"), ("油脂", "Oils and Fats"), ("食品", "Foods")),
        _package("900mL", "1.8L", "5L", unit="桶"),
        None,
        ("GB 2716-2018",),
    ),
    "031": Vocabulary(
        (
            ("实木餐桌", "solid wood dining table"),
            ("办公桌", "office desk"),
            ("衣柜", "wardrobe"),
            ("沙发", "sofa"),
            ("橱柜", "kitchen cabinet"),
        ),
        (("环保", "low-emission"), ("实木", "solid wood"), ("定制", "custom")),
        (("家居", "Home Furnishing"), ("家具", "Furniture"), ("木业", "Wood Industry")),
        _tagged("SF", "ZT", "YG", "CG"),
    ),
    "032": Vocabulary(
        (("复印纸", "copy paper"), ("生活用纸", "tissue paper"), ("瓦楞纸箱", "corrugated box")),
        (("本色", "unbleached"), ("再生", "recycled"), ("无荧光", "fluorescent-free")),
        (("纸业", "Paper"), ("包装", "Packaging")),
        _paper,
    ),
    "033": Vocabulary(
        (("纯棉床品", "cotton bedding"), ("针织T恤", "knitted T-shirt"), ("毛巾", "towel")),
        (("有机棉", "organic cotton"), ("抗菌", "antibacterial"), ("无染色", "undyed")),
        (("纺织", "Textile"), ("服饰", "Apparel"), ("家纺", "Home Textiles")),
        _tagged("CP", "TX", "MJ"),
    ),
    "034": Vocabulary(
        (("塑料周转箱", "plastic crate"), ("聚乙烯薄膜", "polyethylene film"), ("塑料餐具", "plastic tableware")),
        (("可降解", "biodegradable"), ("再生", "recycled"), ("食品级", "food-grade")),
        (("塑业", "Plastics"), ("新材料", "New Materials")),
        _tagged("PE", "PP", "PET"),
    ),
    "035": Vocabulary(
        (("洗衣液", "laundry detergent"), ("洗洁精", "dishwashing liquid"), ("洗衣粉", "washing powder")),
        (("浓缩", "concentrated"), ("无磷", "phosphate-free"), ("植物配方", "plant-based")),
        (("日化", "Daily Chemicals"), ("日用品", "Household Products")),
        _package("500g", "1kg", "2kg", "3kg", unit="瓶"),
    ),
    "036": Vocabulary(
        (("快递包装箱", "express delivery box"), ("快递袋", "courier bag"), ("缓冲包装", "cushioning packaging")),
        (("可循环", "reusable"), ("免胶带", "tape-free"), ("可降解", "biodegradable")),
        (("包装", "Packaging"), ("纸业", "Paper")),
        _tagged("KD", "XB", "HC"),
    ),
    "041": Vocabulary(
        (("电动自行车", "electric bicycle"),),
        (("轻便", "lightweight"), ("锂电", "lithium-battery"), ("智能", "smart")),
        (("车业", "Vehicle"), ("电动车", "Electric Vehicle")),
        _electric_bicycle,
        None,
        ("GB 17761-2018",),
    ),
    "042": Vocabulary(
        (("乘用车子午线轮胎", "passenger car radial tyre"), ("轻型载重汽车轮胎", "light truck tyre")),
        (("低滚阻", "low rolling resistance"), ("静音", "low-noise"), ("缺气保用", "run-flat")),
        (("轮胎", "Tyre"), ("橡胶", "Rubber")),
        _tyre,
    ),
    "051": Vocabulary(
        (("LED筒灯", "LED downlight"), ("LED平板灯", "LED panel light"), ("LED吸顶灯", "LED ceiling light")),
        (("高光效", "high-efficacy"), ("无频闪", "flicker-free"), ("智能调光", "dimmable")),
        (("照明", "Lighting"), ("光电", "Optoelectronics")),
        _led("TD", "PD", "XD", watts=(6, 9, 12, 18, 24, 36)),
        (5, 30),
        ("GB 30255-2019",),
    ),
    "052": Vocabulary(
        (("LED路灯", "LED street light"), ("LED隧道灯", "LED tunnel light")),
        (("高光效", "high-efficacy"), ("智慧", "smart"), ("模组化", "modular")),
        (("照明", "Lighting"), ("光电", "Optoelectronics")),
        _led("LD", "SD", watts=(60, 90, 120, 150, 200, 250)),
        (100, 500),
        ("GB 37478-2019",),
    ),
    "061": Vocabulary(
        (
            ("风力发电机组", "wind turbine generator system"),
            ("海上风力发电机组", "offshore wind turbine generator system"),
        ),
        (("双馈", "doubly-fed"), ("直驱永磁", "direct-drive permanent-magnet"), ("低风速", "low-wind-speed")),
        (("风电", "Wind Power"), ("新能源", "New Energy")),
        _wind_turbine,
        None,
        ("GB/T 18451.1-2012",),
    ),
    "071": Vocabulary(
        (("单晶硅光伏组件", "monocrystalline PV module"), ("双面光伏组件", "bifacial PV module")),
        (("高效", "high-efficiency"), ("半片", "half-cell"), ("双玻", "dual-glass")),
        (("光伏", "Photovoltaic"), ("新能源", "New Energy"), ("太阳能", "Solar Energy")),
        _pv_module,
    ),
    "072": Vocabulary(
        (("太阳能热水系统", "solar water heating system"), ("家用太阳能热水器", "household solar water heater")),
        (("真空管", "evacuated-tube"), ("平板", "flat-plate"), ("承压", "pressurised")),
        (("太阳能", "Solar Energy"), ("新能源", "New Energy")),
        _solar_water_heater,
        (800, 2000),
    ),
    "081": Vocabulary(
        (("干式电力变压器", "dry-type power transformer"), ("油浸式电力变压器", "oil-immersed power transformer")),
        (("节能型", "energy-saving"), ("非晶合金", "amorphous-alloy"), ("低损耗", "low-loss")),
        (("电气", "Electric"), ("变压器", "Transformer")),
        _transformer,
        (2000, 20000),
        ("GB 20052-2020",),
    ),
    "082": Vocabulary(
        (("三相异步电动机", "three-phase induction motor"),),
        (("超高效率", "super-premium efficiency"), ("高效", "high-efficiency"), ("变频调速", "variable-speed")),
        (("电机", "Electric Motor"), ("电气", "Electric")),
        _motor,
        (500, 8000),
        ("GB 18613-2020",),
    ),
    "091": Vocabulary(
        (("坐便器", "toilet"), ("洗面器", "washbasin"), ("蹲便器", "squatting pan")),
        (("节水型", "water-saving"), ("虹吸式", "siphonic"), ("抗菌釉面", "antibacterial-glazed")),
        (("卫浴", "Sanitary Ware"), ("陶瓷", "Ceramics"), ("洁具", "Sanitary Fittings")),
        _tagged("ZB", "TP", "DB", low=1000),
    ),
    "092": Vocabulary(
        (("面盆水嘴", "basin tap"), ("厨房水嘴", "kitchen tap"), ("淋浴水嘴", "shower tap")),
        (("节水", "water-saving"), ("恒温", "thermostatic"), ("感应", "sensor")),
        (("卫浴", "Sanitary Ware"), ("厨卫", "Kitchen and Bath")),
        _tagged("LT", "FT", "CF", low=100, high=999),
        None,
        ("GB 25501-2019",),
    ),
    "093": Vocabulary(
        (("反渗透净水器", "reverse osmosis water purifier"), ("超滤净水器", "ultrafiltration water purifier")),
        (("大通量", "high-flow"), ("节水", "water-saving"), ("无桶", "tankless")),
        (("水处理", "Water Treatment"), ("环境科技", "Environmental Technology")),
        _water_purifier,
        None,
        ("GB 34914-2021",),
    ),
    "101": Vocabulary(
        (
            ("实木复合地板", "engineered wood flooring"),
            ("强化木地板", "laminate flooring"),
            ("刨花板", "particleboard"),
            ("胶合板", "plywood"),
        ),
        (("无醛添加", "no-added-formaldehyde"), ("耐磨", "wear-resistant"), ("地暖专用", "underfloor-heating")),
        (("木业", "Wood Industry"), ("家居", "Home Furnishing"), ("建材", "Building Materials")),
        _board,
    ),
    "102": Vocabulary(
        (
            ("内墙乳胶漆", "interior latex paint"),
            ("外墙涂料", "exterior wall coating"),
            ("水性木器漆", "waterborne wood coating"),
        ),
        (("低VOC", "low-VOC"), ("净味", "odour-free"), ("抗碱", "alkali-resistant")),
        (("涂料", "Coatings"), ("化工", "Chemical"), ("新材料", "New Materials")),
        _tagged("NQ", "WQ", "MQ", low=100, high=999),
    ),
    "103": Vocabulary(
        (("中空玻璃", "insulating glass"), ("钢化玻璃", "tempered glass"), ("低辐射镀膜玻璃", "low-E coated glass")),
        (("节能", "energy-saving"), ("隔音", "sound-insulating"), ("安全", "safety")),
        (("玻璃", "Glass"), ("建材", "Building Materials")),
        _glass,
    ),
    "104": Vocabulary(
        (
            ("蒸压加气混凝土砌块", "autoclaved aerated concrete block"),
            ("烧结多孔砖", "fired perforated brick"),
            ("轻质隔墙板", "lightweight partition panel"),
        ),
        (("轻质", "lightweight"), ("固废利用", "solid-waste-based"), ("保温", "insulating")),
        (("建材", "Building Materials"), ("新型墙材", "New Wall Materials")),
        _block,
    ),
    "105": Vocabulary(
        (
            ("挤塑聚苯板", "extruded polystyrene board"),
            ("岩棉板", "rock wool board"),
            ("玻璃棉毡", "glass wool blanket"),
        ),
        (("A级防火", "class A fire-rated"), ("高密度", "high-density"), ("憎水", "water-repellent")),
        (("保温材料", "Insulation Materials"), ("新材料", "New Materials"), ("建材", "Building Materials")),
        _insulation,
    ),
    "106": Vocabulary(
        (
            ("弹性体改性沥青防水卷材", "SBS modified bitumen waterproofing membrane"),
            ("聚氨酯防水涂料", "polyurethane waterproof coating"),
            ("建筑密封胶", "building sealant"),
        ),
        (("耐根穿刺", "root-resistant"), ("自粘", "self-adhesive"), ("高弹", "high-elasticity")),
        (("防水材料", "Waterproofing Materials"), ("新材料", "New Materials"), ("建材", "Building Materials")),
        _membrane,
    ),
    "107": Vocabulary(
        (("瓷质抛光砖", "porcelain polished tile"), ("岩板", "sintered stone slab"), ("釉面砖", "glazed tile")),
        (("薄型", "thin"), ("防滑", "anti-slip"), ("抗菌", "antibacterial")),
        (("陶瓷", "Ceramics"), ("建材", "Building Materials")),
        _tile,
    ),
    "108": Vocabulary(
        (
            ("木塑地板", "wood-plastic decking"),
            ("木塑墙板", "wood-plastic wall panel"),
            ("木塑护栏", "wood-plastic railing"),
        ),
        (("共挤", "co-extruded"), ("户外", "outdoor"), ("再生", "recycled")),
        (("新材料", "New Materials"), ("木塑", "Wood-Plastic")),
        _tagged("DB", "WQ", "HL", low=100, high=300),
    ),
    "111": Vocabulary(
        (
            ("住宅小区项目", "residential community project"),
            ("办公楼项目", "office building project"),
            ("科技园项目", "science park project"),
            ("商业综合体项目", "mixed-use complex project"),
        ),
        (("绿色", "green"), ("近零能耗", "nearly-zero-energy"), ("装配式", "prefabricated")),
        (("置业", "Real Estate"), ("建设", "Construction"), ("建工", "Construction Engineering")),
        _building,
        None,
        ("GB/T 50378-2019",),
    ),
    "121": Vocabulary(
        (
            ("燃气蒸汽锅炉", "gas-fired steam boiler"),
            ("热水锅炉", "hot water boiler"),
            ("生物质锅炉", "biomass boiler"),
        ),
        (("冷凝式", "condensing"), ("低氮", "low-NOx"), ("高效", "high-efficiency")),
        (("锅炉", "Boiler"), ("热能设备", "Thermal Equipment"), ("机械", "Machinery")),
        _boiler,
        None,
        ("GB 24500-2020",),
    ),
    "122": Vocabulary(
        (("螺杆空气压缩机", "screw air compressor"), ("离心式空气压缩机", "centrifugal air compressor")),
        (("永磁变频", "permanent-magnet variable-speed"), ("两级压缩", "two-stage"), ("无油", "oil-free")),
        (("压缩机", "Compressor"), ("机械", "Machinery"), ("装备", "Equipment")),
        _compressor,
        (5000, 60000),
        ("GB 19153-2019",),
    ),
}
GENERIC_INDUSTRIES = (("科技", "Technology"), ("实业", "Industrial"), ("制造", "Manufacturing"))

FOREIGN_MAKERS = {
    # country: (country in Chinese and English, cities (zh, en, lat, lon), first words, second words, form)
    "DE": (
        ("德国", "Germany"),
        (
            ("斯图加特", "Stuttgart", 48.7758, 9.1829),
            ("慕尼黑", "Munich", 48.1351, 11.5820),
            ("汉堡", "Hamburg", 53.5511, 9.9937),
        ),
        ("Lindner", "Hartmann", "Becker", "Vogel", "Brandt", "Keller"),
        ("Haustechnik", "Elektrogeräte", "Baustoffe", "Maschinenbau", "Lichttechnik"),
        "GmbH",
    ),
    "JP": (
        ("日本", "Japan"),
        (
            ("大阪", "Osaka", 34.6937, 135.5023),
            ("名古屋", "Nagoya", 35.1815, 136.9066),
            ("滨松", "Hamamatsu", 34.7108, 137.7261),
        ),
        ("Hoshino", "Takeda", "Morimoto", "Kawaguchi", "Fujisaki"),
        ("Denki", "Seisakusho", "Kogyo", "Electric"),
        "Co., Ltd.",
    ),
    "KR": (
        ("韩国", "Republic of Korea"),
        (
            ("水原", "Suwon", 37.2636, 127.0286),
            ("昌原", "Changwon", 35.2281, 128.6811),
            ("仁川", "Incheon", 37.4563, 126.7052),
        ),
        ("Hanbit", "Daesung", "Seoyoung", "Mirae", "Jinwoo"),
        ("Electronics", "Industrial", "Chemical", "Machinery"),
        "Co., Ltd.",
    ),
    "IT": (
        ("意大利", "Italy"),
        (("米兰", "Milan", 45.4642, 9.1900), ("摩德纳", "Modena", 44.6471, 10.9252)),
        ("Valmarana", "Rossi", "Ferraro", "Bellini"),
        ("Ceramiche", "Impianti", "Idraulica", "Macchine"),
        "S.p.A.",
    ),
    "US": (
        ("美国", "United States"),
        (("芝加哥", "Chicago", 41.8781, -87.6298), ("哥伦布", "Columbus", 39.9612, -82.9988)),
        ("Redwood", "Lakeshore", "Summit", "Prairie"),
        ("Appliance", "Lighting", "Industries", "Controls"),
        "Inc.",
    ),
}
