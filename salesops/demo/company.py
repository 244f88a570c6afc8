"""The demo company (演示数据): a small agricultural-machinery maker in Shandong with a head office
and two branches, its staff by role, about 200 customers, competitors, market intelligence,
100 products, two warehouses, expense requests and special fees in every state, and a few dealer
collection permits (R2).

Master data is written with ``bulk_create``; documents are raised and moved only through the
domain services (``salesops.expenses.services``), so their numbers, approval steps, audit events
and notifications are the real ones. Everything is drawn from one seeded ``random.Random``:
the same seed on the same day gives the same company. The whole load is one transaction;
it refuses to run when any demo user already exists and changes nothing then.
"""

import datetime
import io
import math
import random
import shutil
import subprocess  # nosec B404  # fc-match only (find_cjk_font)
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from salesops.catalog.models import Product, Warehouse
from salesops.cli import DEMO_PASSWORD  # one constant: the CLI prints it at start
from salesops.customers.models import (
    Competitor,
    Contact,
    Customer,
    CustomerKind,
    IntelSubject,
    InvoiceKind,
    MarketIntel,
    PotentialGrade,
)
from salesops.expenses import services as expense_services
from salesops.expenses.models import CollectionMethod, ExpenseCategory, SpecialFeeKind
from salesops.org.models import Branch, Company, Department, MajorThreshold, Region, User, UserRole
from salesops.org.roles import Role

DEFAULT_SEED = 20260101
CENT = Decimal("0.01")

COMPANY = {
    "name": "山东丰禾农业装备有限公司",
    "short_name": "丰禾农装",
    "address": "山东省济南市历城区工业北路188号",
    "phone": "0531-8866 1288",
    "tax_number": "91370112MA3C8Q2X75",
    "bank_account": "中国工商银行济南历城支行 1602 0012 0920 0188 666",
}
THRESHOLDS = {"expenses.expenserequest": Decimal("5000.00"), "expenses.specialfee": Decimal("20000.00")}

# Provinces and cities (code, name, area code, counties); the branch each city is worked from.
PROVINCES = [("SD", "山东省"), ("HE", "河北省"), ("HA", "河南省"), ("JS", "江苏省")]
CITIES = [
    ("SD-JN", "SD", "济南市", "0531", ["章丘区", "济阳区", "平阴县", "商河县"], "HQ"),
    ("SD-ZB", "SD", "淄博市", "0533", ["桓台县", "高青县", "沂源县"], "HQ"),
    ("SD-TA", "SD", "泰安市", "0538", ["肥城市", "新泰市", "宁阳县"], "HQ"),
    ("SD-DZ", "SD", "德州市", "0534", ["齐河县", "禹城市", "陵城区", "平原县"], "HQ"),
    ("SD-LC", "SD", "聊城市", "0635", ["茌平区", "东阿县", "冠县", "高唐县"], "HQ"),
    ("SD-JNG", "SD", "济宁市", "0537", ["曲阜市", "邹城市", "汶上县", "梁山县"], "HQ"),
    ("SD-HZ", "SD", "菏泽市", "0530", ["曹县", "单县", "郓城县", "巨野县"], "HQ"),
    ("HE-SJZ", "HE", "石家庄市", "0311", ["藁城区", "晋州市", "辛集市"], "HQ"),
    ("HA-ZZ", "HA", "郑州市", "0371", ["中牟县", "新郑市"], "HQ"),
    ("JS-XZ", "JS", "徐州市", "0516", ["丰县", "沛县", "邳州市"], "HQ"),
    ("SD-QD", "SD", "青岛市", "0532", ["平度市", "莱西市", "胶州市", "即墨区"], "QD"),
    ("SD-WF", "SD", "潍坊市", "0536", ["寿光市", "青州市", "诸城市", "高密市", "昌乐县"], "QD"),
    ("SD-RZ", "SD", "日照市", "0633", ["莒县", "五莲县"], "QD"),
    ("SD-LY", "SD", "临沂市", "0539", ["沂水县", "兰陵县", "郯城县", "费县"], "QD"),
    ("SD-YT", "SD", "烟台市", "0535", ["莱阳市", "龙口市", "招远市", "栖霞市", "海阳市"], "YT"),
    ("SD-WH", "SD", "威海市", "0631", ["文登区", "荣成市", "乳山市"], "YT"),
    ("SD-DY", "SD", "东营市", "0546", ["广饶县", "利津县", "垦利区"], "YT"),
    ("SD-BZ", "SD", "滨州市", "0543", ["惠民县", "阳信县", "无棣县", "博兴县"], "YT"),
]

BRANCHES = [
    ("HQ", "总部", True, "SD-JN"),
    ("QD", "青岛分公司", False, "SD-QD"),
    ("YT", "烟台分公司", False, "SD-YT"),
]
# (key, branch, name); the sales departments' managers are set after the users exist.
DEPARTMENTS = [
    ("hq-sales", "HQ", "销售部"),
    ("hq-office", "HQ", "销售办公室"),
    ("hq-finance", "HQ", "财务部"),
    ("hq-tech", "HQ", "技术部"),
    ("hq-purchase", "HQ", "采购部"),
    ("hq-store", "HQ", "储运部"),
    ("qd-sales", "QD", "青岛销售部"),
    ("yt-sales", "YT", "烟台销售部"),
]
DEPARTMENT_MANAGERS = {"hq-sales": "manager1", "qd-sales": "manager2", "yt-sales": "manager1"}

# username, display name, roles, branch, department, reporting line (manager), extra fields
USERS = [
    ("admin", "系统管理员", [Role.ADMIN], "HQ", None, None, {"is_staff": True}),
    ("boss", "王振华", [Role.LEADERSHIP], "HQ", None, None, {}),
    ("manager1", "李明", [Role.SALES_MANAGER], "HQ", "hq-sales", "boss", {}),
    ("branchmgr1", "赵国强", [Role.BRANCH_MANAGER], "QD", None, "boss", {}),
    ("manager2", "周海燕", [Role.SALES_MANAGER], "QD", "qd-sales", "branchmgr1", {}),
    ("sales1", "张伟", [Role.SALESPERSON], "HQ", "hq-sales", "manager1", {}),
    ("sales2", "刘洋", [Role.SALESPERSON], "HQ", "hq-sales", "manager1", {}),
    ("sales3", "陈静", [Role.SALESPERSON], "HQ", "hq-sales", "manager1", {}),
    ("sales4", "杨帆", [Role.SALESPERSON], "QD", "qd-sales", "manager2", {}),
    ("sales5", "孙磊", [Role.SALESPERSON], "QD", "qd-sales", "manager2", {}),
    ("sales6", "吴晓丽", [Role.SALESPERSON], "YT", "yt-sales", "manager1", {}),
    ("office1", "郑敏", [Role.BACK_OFFICE], "HQ", "hq-office", "manager1", {}),
    ("warehouse1", "马刚", [Role.WAREHOUSE], "HQ", "hq-store", None, {}),
    ("finance1", "何雪梅", [Role.FINANCE], "HQ", "hq-finance", None, {}),
    ("tech1", "黄志强", [Role.TECHNICAL], "HQ", "hq-tech", None, {}),
    ("purchase1", "高建军", [Role.PURCHASING], "HQ", "hq-purchase", None, {}),
]
DEMO_USERNAMES = tuple(row[0] for row in USERS)
SALESPEOPLE = ("sales1", "sales2", "sales3", "sales4", "sales5", "sales6")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = [
    "建国",
    "国庆",
    "志刚",
    "秀英",
    "桂兰",
    "玉梅",
    "海涛",
    "红军",
    "立新",
    "春生",
    "保国",
    "金山",
    "文华",
    "德胜",
    "永强",
    "俊杰",
    "晓东",
    "丽娟",
    "振宇",
    "庆丰",
    "树林",
    "长河",
    "卫东",
    "凤霞",
]
BRAND_WORDS = [
    "丰收",
    "金穗",
    "惠农",
    "沃土",
    "鑫农",
    "宏达",
    "瑞丰",
    "利民",
    "永盛",
    "兴农",
    "富民",
    "泰和",
    "嘉禾",
    "绿野",
    "众诚",
    "春耕",
    "禾丰",
    "田园",
    "裕丰",
    "金田",
    "齐鲁",
    "厚德",
    "民丰",
    "福田",
]
CROPS = ["蔬菜", "小麦", "玉米", "果蔬", "苹果", "花生", "大蒜", "粮食", "樱桃", "马铃薯"]
TOWN_WORDS = ["城关", "新兴", "王庄", "李家", "北关", "东港", "南湖", "张集", "官庄", "马店"]

COMPETITORS = [
    ("华北农机集团有限公司", "轮式拖拉机 25-220 马力、谷物联合收割机", "品牌知名度高，经销网络覆盖全省"),
    ("鲁丰农业装备股份有限公司", "旋耕机、深松整地机、秸秆还田机", "价格低 8%-12%，交货快"),
    ("潍坊金犁机械有限公司", "犁、旋耕机、播种机", "本地服务响应快，配件便宜"),
    ("临沂沃野农机制造有限公司", "玉米播种机、小麦播种机", "补贴目录产品多"),
    ("江苏恒丰农业机械有限公司", "植保机械、喷杆喷雾机", "技术参数领先，售后一般"),
    ("河北冀农重工有限公司", "玉米收获机、打捆机", "大型合作社客户多"),
    ("青岛海泽智能装备有限公司", "植保无人机、智能导航系统", "无人机性能好，培训完善"),
    ("河南中原收获机械有限公司", "谷物联合收割机、玉米收获机", "信贷支持灵活"),
    ("山东粮安干燥设备有限公司", "粮食烘干机、仓储设备", "政府项目经验丰富"),
    ("烟台碧水节水灌溉科技有限公司", "滴灌系统、水肥一体化设备", "方案设计能力强"),
]

# Product families: code, name, unit, sizes, and how model, specification, parameters and price follow.
PART_TYPES = [
    ("旋耕刀", "件", ["IT225", "IT245"], 18, "材质: 65Mn; 热处理硬度: HRC 48-52"),
    ("犁铧", "件", ["1L-325", "1L-435"], 95, "材质: 65Mn; 适配: 铧式犁"),
    ("齿轮箱总成", "套", ["XG-150", "XG-230"], 2600, "传动比: 1.92; 输入转速: 540 r/min"),
    ("万向节传动轴", "根", ["6 系", "8 系"], 480, "长度: 800-1200 mm 可调"),
    ("割台刀片", "件", ["76 mm", "101.6 mm"], 6, "刃口: 齿形; 材质: T9"),
    ("扇形喷头", "件", ["11002", "11004"], 12, "喷雾角: 110°; 材质: 陶瓷芯"),
    ("液压油缸", "件", ["63×200", "80×250"], 650, "工作压力: 16 MPa"),
    ("橡胶履带", "条", ["450×90×51", "500×90×56"], 5800, "适配: 履带式收割机"),
    ("滤清器组件", "套", ["KLQ-25", "KLQ-50"], 160, "含机油、柴油、空气滤清器"),
    ("三点悬挂总成", "套", ["II 类", "III 类"], 1900, "提升力: 12-20 kN"),
    ("播种排种器", "件", ["外槽轮式", "勺轮式"], 150, "适用作物: 小麦、玉米"),
    ("驾驶室总成", "套", ["标准型", "豪华型"], 12800, "带空调, 前后雨刮"),
    ("北斗导航自动驾驶系统", "套", ["NX-300", "NX-510"], 24800, "定位精度: ±2.5 cm; 支持 RTK"),
    ("水肥一体机", "台", ["SF-2", "SF-4"], 8600, "通道数: 2-4; 注肥量: 50-300 L/h"),
]


@dataclass(frozen=True)
class DemoSummary:
    users: int
    branches: int
    customers: int
    contacts: int
    competitors: int
    market_intel: int
    products: int
    warehouses: int
    expense_requests: int
    special_fees: int
    collection_permits: int
    deals: int
    deliveries: int
    violations: int
    seconds: float

    def line(self) -> str:
        return (
            f"Demo company loaded in {self.seconds:.1f} s: {self.users} users (password {DEMO_PASSWORD}), "
            f"{self.branches} branches, {self.customers} customers, {self.contacts} contacts, "
            f"{self.competitors} competitors, {self.market_intel} market notes, {self.products} products, "
            f"{self.warehouses} warehouses, {self.expense_requests} expense requests, "
            f"{self.special_fees} special fees, {self.collection_permits} collection permits, "
            f"{self.deals} deals, {self.deliveries} deliveries, "
            f"{self.violations} rule violations."
        )


class DemoAlreadyLoaded(Exception):
    """Raised before anything is written when a demo user already exists."""


def load_demo(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo company into an empty (migrated) database; see the module docstring."""
    started = time.monotonic()
    existing = sorted(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if existing:
        shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        raise DemoAlreadyLoaded(f"The demo company is already loaded (demo users {shown} exist); nothing was changed.")
    rng = random.Random(seed)  # nosec B311  # demo data, repeatable by its seed; no secret comes from it
    today = timezone.localdate()
    with transaction.atomic():
        company = _company()
        regions = _regions()
        branches = _branches(company, regions)
        departments = _departments(branches)
        users = _users(branches, departments)
        customers = _customers(rng, users, regions, today)
        contacts = _contacts(rng, customers)
        competitors = _competitors()
        intel = _market_intel(rng, users, customers, competitors, regions, today)
        products = _products(rng)
        warehouses = _warehouses(branches, users)
        _stock(rng, users)
        expenses, fees = _documents(rng, users, customers, today)
        permits = _collection_permits(users, customers, today)
        # Deliveries of the last weeks first, so that their numbers come before today's deals'.
        deliveries = _deliveries(seed, users, today)
        deals = _deals(rng, users, today)
        violations = _compliance(users, today)
    return DemoSummary(
        users=len(users),
        branches=len(branches),
        customers=len(customers),
        contacts=contacts,
        competitors=len(competitors),
        market_intel=intel,
        products=products,
        warehouses=warehouses,
        expense_requests=expenses,
        special_fees=fees,
        collection_permits=permits,
        deals=deals,
        deliveries=deliveries,
        violations=violations,
        seconds=time.monotonic() - started,
    )


# Organisation


def _company() -> Company:
    company = Company.current()
    for field, value in COMPANY.items():
        setattr(company, field, value)
    company.stamp.save("stamp.png", ContentFile(draw_stamp(company.name)), save=False)
    company.save()
    for doc_type, amount in THRESHOLDS.items():
        MajorThreshold.objects.update_or_create(company=company, doc_type=doc_type, defaults={"amount": amount})
    return company


def _regions() -> dict[str, Region]:
    provinces = Region.objects.bulk_create([Region(code=code, name=name) for code, name in PROVINCES])
    by_code = {r.code: r for r in provinces}
    cities = Region.objects.bulk_create(
        [Region(code=code, name=name, parent=by_code[parent]) for code, parent, name, *_ in CITIES]
    )
    by_code.update({r.code: r for r in cities})
    return by_code


def _branches(company: Company, regions: dict[str, Region]) -> dict[str, Branch]:
    rows = Branch.objects.bulk_create(
        [
            Branch(company=company, code=code, name=name, is_head_office=head, region=regions[region])
            for code, name, head, region in BRANCHES
        ]
    )
    return {b.code: b for b in rows}


def _departments(branches: dict[str, Branch]) -> dict[str, Department]:
    rows = Department.objects.bulk_create(
        [Department(branch=branches[branch], name=name) for _, branch, name in DEPARTMENTS]
    )
    return {key: dept for (key, _, _), dept in zip(DEPARTMENTS, rows, strict=True)}


def _users(branches: dict[str, Branch], departments: dict[str, Department]) -> dict[str, User]:
    # One hash for everybody: hashing 16 times with Argon2 would dominate the load time.
    password = make_password(DEMO_PASSWORD)
    rows = [
        User(
            username=username,
            display_name=display,
            email=f"{username}@fenghe.example.com",
            password=password,
            branch=branches[branch],
            department=departments[dept] if dept else None,
            **extra,
        )
        for username, display, _, branch, dept, _, extra in USERS
    ]
    users = {u.username: u for u in User.objects.bulk_create(rows)}
    for username, _, _, _, _, manager, _ in USERS:
        users[username].manager = users[manager] if manager else None
    User.objects.bulk_update(list(users.values()), ["manager"])
    UserRole.objects.bulk_create(
        [UserRole(user=users[username], role=role) for username, _, roles, *_ in USERS for role in roles]
    )
    for key, username in DEPARTMENT_MANAGERS.items():
        departments[key].manager = users[username]
    Department.objects.bulk_update(list(departments.values()), ["manager"])
    branches["QD"].manager = users["branchmgr1"]
    branches["QD"].save(update_fields=["manager"])
    return users


# Customers and the market


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _phone(rng: random.Random, area: str) -> str:
    return f"{area}-{rng.randint(2000000, 8999999)}"


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _customer_name(rng: random.Random, kind: str, county: str) -> tuple[str, str, str]:
    """Name, industry and the decision maker's title, built from parts."""
    word = rng.choice(BRAND_WORDS)
    if kind == CustomerKind.DEALER:
        suffix = rng.choice(["农机销售有限公司", "农业机械有限公司", "农机商贸有限公司", "农机服务中心"])
        return f"{county}{word}{suffix}", "农机经销", rng.choice(["总经理", "董事长", "经理"])
    pattern = rng.randrange(6)
    if pattern == 0:
        crop = rng.choice(CROPS)
        return f"{county}{word}{crop}种植专业合作社", f"{crop}种植", "理事长"
    if pattern == 1:
        return f"{county}{_person(rng)}家庭农场", "粮食种植", "场主"
    if pattern == 2:
        return f"{county}{word}农业发展有限公司", "现代农业", "总经理"
    if pattern == 3:
        return f"{county}{word}农机专业合作社", "农机作业服务", "理事长"
    if pattern == 4:
        return f"{county}{word}农业科技有限公司", "设施农业", "总经理"
    return f"{county}农业农村局", "政府采购", "农机科科长"


# Invoicing data (开票信息). The first four digits of each city's administrative division code
# (行政区划代码), which the customers' unified social credit codes carry.
CITY_DIVISIONS = {
    "SD-JN": "3701",
    "SD-QD": "3702",
    "SD-ZB": "3703",
    "SD-DY": "3705",
    "SD-YT": "3706",
    "SD-WF": "3707",
    "SD-JNG": "3708",
    "SD-TA": "3709",
    "SD-WH": "3710",
    "SD-RZ": "3711",
    "SD-LY": "3713",
    "SD-DZ": "3714",
    "SD-LC": "3715",
    "SD-BZ": "3716",
    "SD-HZ": "3717",
    "HE-SJZ": "1301",
    "HA-ZZ": "4101",
    "JS-XZ": "3203",
}
BANKS = ["中国农业银行", "中国工商银行", "中国建设银行", "中国银行", "中国邮政储蓄银行"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(rng: random.Random, name: str, city: str, counties: list[str], county: str) -> str:
    """A unified social credit code of the right shape: the registering authority and kind by the
    name (91 company, 92 sole trader, 93 farmers' cooperative, 11 government body), the county's
    division code, an organisation code, and the check character stdnum computes."""
    if name.endswith("合作社"):
        kind = "93"
    elif name.endswith("家庭农场"):
        kind = "92"
    elif name.endswith("局"):
        kind = "11"
    else:
        kind = "91"
    # districts are numbered from 02, counties from 21, county-level cities from 81
    start = 81 if county.endswith("市") else 2 if county.endswith("区") else 21
    division = f"{CITY_DIVISIONS[city]}{start + counties.index(county):02d}"
    if kind == "11":
        organisation = f"00{rng.randint(0, 9999999):07d}"
    else:
        organisation = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    body = f"{kind}{division}{organisation}"
    return body + uscc.calc_check_digit(body)


def _set_invoicing(customer: Customer, city: str, counties: list[str], county: str, city_name: str) -> None:
    """Invoicing data of a demo customer. Dealers and companies take the 数电专票 and give their
    address, phone, bank and account; cooperatives, farms and government bodies the 数电普票; some
    family farms have not given a code. Drawn from the customer's own seed, so the demo's other
    data stay as they were."""
    rng = random.Random(f"invoicing {customer.code} {customer.name}")  # nosec B311  # demo data
    if customer.name.endswith("家庭农场") and rng.random() < 0.4:
        return
    customer.tax_number = _uscc(rng, customer.name, city, counties, county)
    customer.invoice_email = f"fapiao.{customer.code.lower()}@example.cn"
    customer.invoice_phone = _mobile(rng)
    if customer.name.endswith("农机服务中心"):  # a trade name: invoices carry the registered one
        customer.invoice_title = customer.name.replace("农机服务中心", "农机服务有限公司")
    if customer.kind == CustomerKind.DEALER or customer.name.endswith("有限公司"):
        customer.default_invoice_kind = InvoiceKind.SPECIAL
        customer.invoice_address_phone = f"{customer.address} {customer.phone}"
        bank = rng.choice(BANKS)
        account = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(18))
        customer.invoice_bank_account = f"{bank}{city_name.removesuffix('市')}{county[:-1]}支行 {account}"


def _customers(
    rng: random.Random, users: dict[str, User], regions: dict[str, Region], today: datetime.date
) -> list[Customer]:
    cities_by_branch: dict[str, list[tuple]] = {}
    for city in CITIES:
        cities_by_branch.setdefault(city[5], []).append(city)
    product_words = ["拖拉机", "旋耕机", "播种机", "收割机", "植保无人机", "喷雾机", "深松机", "打捆机", "烘干机"]
    rows: list[Customer] = []
    seen: set[str] = set()
    attempts = 0
    while len(rows) < 200:
        attempts += 1
        if attempts > 5000:  # the name parts could not give 200 distinct names
            raise RuntimeError("demo customer names exhausted")
        owner = users[SALESPEOPLE[len(rows) % len(SALESPEOPLE)]]
        code, _, city_name, area, counties, _ = rng.choice(cities_by_branch[owner.branch.code])
        county = rng.choice(counties)
        kind = CustomerKind.DEALER if rng.random() < 0.35 else CustomerKind.END_USER
        name, industry, title = _customer_name(rng, kind, county)
        if name in seen:
            continue
        seen.add(name)
        dealer = kind == CustomerKind.DEALER
        competitor = rng.choice(COMPETITORS)[0]
        rows.append(
            Customer(
                code=f"C{len(rows) + 1:04d}",
                name=name,
                kind=kind,
                region=regions[code],
                owner=owner,
                branch_id=owner.branch_id,
                department_id=owner.department_id,
                address=f"{regions[code].parent.name}{city_name}{county}{rng.choice(TOWN_WORDS)}镇"
                f"{rng.randint(1, 399)}号",
                phone=_phone(rng, area),
                credit_days=rng.choice([30, 60, 90]) if dealer else rng.choice([0, 0, 30]),
                credit_limit_amount=Decimal(
                    rng.randrange(100, 501, 50) * 1000 if dealer else rng.choice([0, 0, 20000])
                ),
                industry=industry,
                scale=(
                    f"门店 {rng.randint(1, 4)} 个，年销售额约 {rng.randrange(300, 3001, 100)} 万元"
                    if dealer
                    else f"经营面积约 {rng.randrange(200, 8001, 100)} 亩"
                ),
                decision_maker=f"{_person(rng)}（{title}）",
                demanded_products="、".join(rng.sample(product_words, rng.randint(1, 3))),
                yearly_volume=f"约 {rng.randint(5, 80)} 台" if dealer else f"约 {rng.randint(1, 6)} 台",
                current_supplier=rng.choice([competitor, competitor, COMPANY["name"]]),
                competitor_products=f"{competitor.split('有限')[0].split('股份')[0]} {rng.choice(product_words)}",
                potential_grade=rng.choices([PotentialGrade.A, PotentialGrade.B, PotentialGrade.C], weights=[2, 5, 3])[
                    0
                ],
                last_visit_on=today - datetime.timedelta(days=rng.randint(1, 90)) if rng.random() < 0.8 else None,
            )
        )
        _set_invoicing(rows[-1], code, counties, county, city_name)
    return Customer.objects.bulk_create(rows)


def _contacts(rng: random.Random, customers: list[Customer]) -> int:
    titles = ["总经理", "理事长", "采购经理", "场长", "技术员", "财务负责人", "农机科科长"]
    rows = []
    for customer in customers:
        if rng.random() < 0.3:
            continue
        for index in range(rng.randint(1, 2)):
            rows.append(
                Contact(
                    customer=customer,
                    name=_person(rng),
                    title=rng.choice(titles),
                    phone=_mobile(rng),
                    email=f"contact{customer.pk}-{index}@example.com" if rng.random() < 0.3 else "",
                    is_decision_maker=index == 0,
                )
            )
    return len(Contact.objects.bulk_create(rows))


def _competitors() -> list[Competitor]:
    return Competitor.objects.bulk_create(
        [Competitor(name=name, products=products, strengths=strengths) for name, products, strengths in COMPETITORS]
    )


def _market_intel(
    rng: random.Random,
    users: dict[str, User],
    customers: list[Customer],
    competitors: list[Competitor],
    regions: dict[str, Region],
    today: datetime.date,
) -> int:
    subjects = [IntelSubject.DEALER, IntelSubject.END_USER, IntelSubject.COMPETITOR, IntelSubject.MARKET]
    rows = []
    for index in range(40):
        owner = users[SALESPEOPLE[index % len(SALESPEOPLE)]]
        own = [c for c in customers if c.owner_id == owner.pk]
        subject = subjects[index % len(subjects)]
        customer = competitor = None
        if subject == IntelSubject.DEALER:
            customer = rng.choice([c for c in own if c.kind == CustomerKind.DEALER] or own)
        elif subject == IntelSubject.END_USER:
            customer = rng.choice([c for c in own if c.kind == CustomerKind.END_USER] or own)
        elif subject == IntelSubject.COMPETITOR:
            competitor = rng.choice(competitors)
        region = customer.region if customer else rng.choice(own).region
        percent = rng.randint(5, 30)
        rows.append(
            MarketIntel(
                subject=subject,
                customer=customer,
                competitor=competitor,
                region=region,
                reported_on=today - datetime.timedelta(days=rng.randint(0, 60)),
                product_structure=rng.choice(
                    [
                        "以 50-90 马力拖拉机为主，配套旋耕机、播种机",
                        "小麦、玉米两季轮作，收获机需求集中在 6 月和 10 月",
                        "设施蔬菜为主，小型旋耕机、植保机械需求大",
                        "果园面积扩大，果园管理机、弥雾机询价增多",
                    ]
                ),
                sales_info=f"本季度销量同比{'增长' if rng.random() < 0.6 else '下降'} {percent}%",
                market_facts=rng.choice(
                    [
                        "今年农机购置补贴额度提前下达，客户观望情绪减少",
                        f"{competitor.name if competitor else '竞争对手'}在本区域降价促销，幅度约 {percent}%",
                        "秸秆禁烧检查严格，还田机需求上升",
                        "合作社土地流转面积增加，大马力机型询价增多",
                        "县农业农村局计划年内招标植保无人机",
                    ]
                ),
                owner=owner,
                branch_id=owner.branch_id,
                department_id=owner.department_id,
            )
        )
    return len(MarketIntel.objects.bulk_create(rows))


# Catalogue


def _price(value: float, step: int) -> Decimal:
    return Decimal(max(step, int(round(value / step)) * step)).quantize(CENT)


def _product_rows(rng: random.Random) -> list[tuple[str, str, str, str, str, str, Decimal]]:
    """(code prefix, name, model, specification, unit, parameters, standard price) for 100 products."""
    rows = []
    for hp in [25, 35, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160]:
        rows.append(
            (
                "TLJ",
                "轮式拖拉机",
                f"FH-{hp}4",
                f"{hp} 马力 四轮驱动",
                "台",
                f"额定功率: {hp * 0.7355:.1f} kW; 驱动形式: 4×4; 动力输出轴转速: 540/760 r/min; "
                f"最小使用质量: {hp * 38} kg",
                _price(hp * 1150 + rng.randint(-2000, 2000), 100),
            )
        )
    for width in [125, 150, 180, 200, 230, 250, 280]:
        rows.append(
            (
                "XGJ",
                "旋耕机",
                f"1GQN-{width}",
                f"工作幅宽 {width / 100:.2f} 米",
                "台",
                f"配套动力: {width // 5}-{width // 3} 马力; 耕深: 12-16 cm; 刀片数量: {width // 5} 把",
                _price(width * 28 + rng.randint(-300, 300), 100),
            )
        )
    for rows_ in [9, 12, 14, 16, 18, 24]:
        rows.append(
            (
                "BZJ",
                "小麦播种机",
                f"2BXF-{rows_}",
                f"{rows_} 行",
                "台",
                f"行距: 15-25 cm 可调; 配套动力: {rows_ * 3}-{rows_ * 5} 马力; 作业效率: {rows_ // 2}-{rows_} 亩/小时",
                _price(rows_ * 650 + rng.randint(-500, 500), 100),
            )
        )
    for rows_ in [2, 3, 4, 5, 6]:
        rows.append(
            (
                "YMB",
                "玉米免耕播种机",
                f"2BYF-{rows_}",
                f"{rows_} 行 免耕施肥",
                "台",
                f"行距: 50-70 cm; 施肥量: 10-80 kg/亩; 配套动力: {rows_ * 10}-{rows_ * 15} 马力",
                _price(rows_ * 2900 + rng.randint(-500, 500), 100),
            )
        )
    for feed in [4, 5, 6, 7, 8, 10]:
        rows.append(
            (
                "SGJ",
                "谷物联合收割机",
                f"4LZ-{feed}.0",
                f"喂入量 {feed} kg/s 履带式",
                "台",
                f"割幅: {1.8 + feed * 0.15:.2f} 米; 发动机功率: {feed * 14 + 20} kW; 粮箱容积: {feed * 0.3:.1f} m³",
                _price(feed * 21000 + 30000 + rng.randint(-3000, 3000), 100),
            )
        )
    for rows_ in [2, 3, 4]:
        rows.append(
            (
                "YSJ",
                "自走式玉米收获机",
                f"4YZP-{rows_}",
                f"{rows_} 行 摘穗剥皮",
                "台",
                f"作业行距: 55-70 cm; 发动机功率: {rows_ * 30 + 40} kW; 果穗箱容积: {rows_ * 0.9:.1f} m³",
                _price(rows_ * 42000 + 60000 + rng.randint(-3000, 3000), 100),
            )
        )
    for volume in [300, 500, 700, 1000, 1500, 2000]:
        rows.append(
            (
                "PWJ",
                "喷杆喷雾机",
                f"3WP-{volume}",
                f"药箱 {volume} L",
                "台",
                f"喷幅: {8 + volume // 120} 米; 工作压力: 0.2-0.5 MPa; 配套动力: 25-{40 + volume // 40} 马力",
                _price(volume * 14 + 3000 + rng.randint(-400, 400), 100),
            )
        )
    for capacity in [10, 20, 30, 40, 50]:
        rows.append(
            (
                "WRJ",
                "植保无人机",
                f"FH-T{capacity}",
                f"药箱 {capacity} L 六旋翼",
                "台",
                f"作业效率: {capacity * 6}-{capacity * 10} 亩/小时; 喷幅: {4 + capacity // 10} 米; RTK 定位",
                _price(capacity * 1300 + 18000 + rng.randint(-1000, 1000), 100),
            )
        )
    for width in [200, 230, 250, 300]:
        rows.append(
            (
                "SSJ",
                "深松整地联合作业机",
                f"1SZL-{width}",
                f"工作幅宽 {width / 100:.1f} 米",
                "台",
                f"深松深度: 25-40 cm; 配套动力: {width // 2}-{width // 2 + 40} 马力; 深松铲数: {width // 50} 个",
                _price(width * 95 + rng.randint(-800, 800), 100),
            )
        )
    for width in [150, 180, 200, 220, 250]:
        rows.append(
            (
                "HTJ",
                "秸秆粉碎还田机",
                f"1JH-{width}",
                f"工作幅宽 {width / 100:.1f} 米",
                "台",
                f"刀轴转速: 1800-2100 r/min; 甩刀数量: {width // 4} 把; 配套动力: {width // 4}-{width // 3} 马力",
                _price(width * 42 + rng.randint(-300, 300), 100),
            )
        )
    for diameter in [0.8, 1.0, 1.2, 1.4]:
        rows.append(
            (
                "DKJ",
                "圆捆打捆机",
                f"9YG-{diameter:.1f}",
                f"草捆直径 {diameter} 米",
                "台",
                f"草捆宽度: 0.7-1.2 米; 生产率: {int(diameter * 40)} 捆/小时; 配套动力: {int(diameter * 50)} 马力以上",
                _price(diameter * 45000 + rng.randint(-2000, 2000), 100),
            )
        )
    for tonnes in [10, 15, 20, 30, 40]:
        rows.append(
            (
                "HGJ",
                "循环式粮食烘干机",
                f"5HXG-{tonnes}",
                f"批处理量 {tonnes} 吨",
                "台",
                f"降水率: 0.8-1.2 %/小时; 热源: 生物质/天然气; 装机功率: {tonnes // 2 + 8} kW",
                _price(tonnes * 5200 + 40000 + rng.randint(-3000, 3000), 100),
            )
        )
    for area in [50, 100, 200, 500]:
        rows.append(
            (
                "DGX",
                "滴灌系统",
                f"DG-{area}",
                f"覆盖 {area} 亩",
                "套",
                f"首部过滤: 叠片+离心; 滴头流量: 2 L/h; 毛管间距: 0.8-1.2 米; 适用面积: {area} 亩",
                _price(area * 420 + 8000 + rng.randint(-1000, 1000), 100),
            )
        )
    for name, unit, models, price, params in PART_TYPES:
        for model in models:
            rows.append(
                (
                    "PJ",
                    name,
                    model,
                    model,
                    unit,
                    params,
                    _price(price * (1.0 + rng.random() * 0.3), 10 if price > 100 else 1),
                )
            )
    return rows


# Tax classification (税收分类编码 and 简称) of each product family, as a 数电 invoice prints it;
# codes of the national table's shape (19 digits), for the demo: a real company takes its own
# from the table in force.
TAX_CLASSES = {
    "TLJ": ("1090301010000000000", "拖拉机"),
    "XGJ": ("1090302010000000000", "耕整地机械"),
    "SSJ": ("1090302010000000000", "耕整地机械"),
    "BZJ": ("1090302020000000000", "种植施肥机械"),
    "YMB": ("1090302020000000000", "种植施肥机械"),
    "PWJ": ("1090302030000000000", "植保机械"),
    "WRJ": ("1090302030000000000", "植保机械"),
    "SGJ": ("1090302040000000000", "收获机械"),
    "YSJ": ("1090302040000000000", "收获机械"),
    "HTJ": ("1090302050000000000", "秸秆处理机械"),
    "DKJ": ("1090302050000000000", "秸秆处理机械"),
    "HGJ": ("1090302060000000000", "农产品初加工机械"),
    "DGX": ("1090302070000000000", "排灌机械"),
    "PJ": ("1090302990000000000", "农机零部件"),
}
# Where the invoice names a product otherwise than the catalogue (the subsidy catalogue's term).
INVOICE_NAMES = {"WRJ": "植保无人驾驶航空器"}


def _products(rng: random.Random) -> int:
    rows = []
    counters: dict[str, int] = {}
    for prefix, name, model, spec, unit, params, price in _product_rows(rng):
        counters[prefix] = counters.get(prefix, 0) + 1
        floor = (price * Decimal(rng.choice(["0.85", "0.88", "0.90", "0.92", "0.95"]))).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )
        rows.append(
            Product(
                code=f"{prefix}-{counters[prefix]:03d}",
                name=name,
                model=model,
                specification=spec,
                unit=unit,
                technical_parameters=params,
                standard_price=price,
                floor_price=min(floor.quantize(CENT), price),
                tax_rate=Decimal("0.13"),
                tax_code=TAX_CLASSES[prefix][0],
                tax_short_name=TAX_CLASSES[prefix][1],
                invoice_name=INVOICE_NAMES.get(prefix, ""),
            )
        )
    if len(rows) != 100:  # the families above are sized to give exactly 100
        raise RuntimeError(f"demo catalogue has {len(rows)} products, not 100")
    return len(Product.objects.bulk_create(rows))


def _warehouses(branches: dict[str, Branch], users: dict[str, User]) -> int:
    keeper = users["warehouse1"]
    rows = [
        Warehouse(
            code="WH-JN", name="济南总库", branch=branches["HQ"], address="济南市历城区工业北路188号", keeper=keeper
        ),
        Warehouse(
            code="WH-QD", name="青岛分库", branch=branches["QD"], address="青岛市胶州市经济开发区66号", keeper=keeper
        ),
    ]
    return len(Warehouse.objects.bulk_create(rows))


# Documents, raised and moved through the services

EXPENSE_PURPOSES = {
    ExpenseCategory.TRAVEL: "拜访{customer}，了解春耕用机需求",
    ExpenseCategory.ENTERTAINMENT: "与{customer}洽谈年度采购计划，工作餐",
    ExpenseCategory.GIFTS: "为{customer}准备样品和宣传资料",
    ExpenseCategory.TRANSPORT: "送样机到{customer}现场演示的运输费",
    ExpenseCategory.EXHIBITION: "参加农机展会，展位费及布展费（客户：{customer}）",
    ExpenseCategory.OTHER: "{customer}现场演示会杂费",
}
# Each scenario: (label, major?, steps); a step is an action and who takes it (owner, manager, boss,
# finance). Major expense requests (at or above the threshold) also need leadership.
EXPENSE_SCENARIOS = [
    ("draft", False, []),
    ("pending at manager", False, [("submit", "owner")]),
    ("pending at leadership", True, [("submit", "owner"), ("approve", "manager")]),
    ("approved", False, [("submit", "owner"), ("approve", "manager")]),
    ("approved by leadership", True, [("submit", "owner"), ("approve", "manager"), ("approve", "boss")]),
    ("rejected by manager", False, [("submit", "owner"), ("reject", "manager")]),
    ("rejected by leadership", True, [("submit", "owner"), ("approve", "manager"), ("reject", "boss")]),
    ("resubmitted", False, [("submit", "owner"), ("reject", "manager"), ("submit", "owner")]),
    ("cancelled", False, [("cancel", "owner")]),
    ("R3 breach", False, [("submit", "owner"), ("approve", "manager")]),
]
SPECIAL_FEE_SCENARIOS = [
    ("draft", []),
    ("pending at manager", [("submit", "owner")]),
    ("pending at leadership", [("submit", "owner"), ("approve", "manager")]),
    ("instructed", [("submit", "owner"), ("approve", "manager"), ("approve", "boss")]),
    ("paid", [("submit", "owner"), ("approve", "manager"), ("approve", "boss"), ("pay", "finance")]),
    ("rejected by manager", [("submit", "owner"), ("reject", "manager")]),
    ("rejected by leadership", [("submit", "owner"), ("approve", "manager"), ("reject", "boss")]),
    ("cancelled", [("cancel", "owner")]),
]
REJECT_REASONS = ["预算已超，下月再议", "费用标准偏高，请压缩后重新申请", "与本月重点工作无关", "请补充客户拜访计划"]


def _deals(rng: random.Random, users: dict[str, User], today: datetime.date) -> int:
    # Imported here: the demo loader is the one place that builds every app's data.
    from .deals import load_demo_deals

    return load_demo_deals(rng=rng, users=users, salespeople=list(SALESPEOPLE), today=today)


def _deliveries(seed: int, users: dict[str, User], today: datetime.date) -> int:
    from .fulfilment import load_demo_fulfilment
    from .receivables import load_demo_receivables

    # A generator of its own: the deliveries leave the other demo data as the seed made them.
    rng = random.Random(f"{seed}-deliveries")  # nosec B311  # demo data, repeatable by its seed
    delivered = load_demo_fulfilment(rng=rng, users=users, today=today)
    # Their money (invoices, receipts, payment requests, daily checks), before the rules' sweep.
    load_demo_receivables(rng=random.Random(f"{seed}-receivables"), users=users, today=today)  # nosec B311
    return delivered


def _stock(rng: random.Random, users: dict[str, User]) -> int:
    from .stock import load_demo_stock

    return load_demo_stock(rng=rng, users=users)


def _compliance(users: dict[str, User], today: datetime.date) -> int:
    from .compliance import load_demo_compliance

    return load_demo_compliance(users=users, today=today)


def _documents(
    rng: random.Random, users: dict[str, User], customers: list[Customer], today: datetime.date
) -> tuple[int, int]:
    own: dict[int, list[Customer]] = {}
    for customer in customers:
        own.setdefault(customer.owner_id, []).append(customer)

    def actor_for(who: str, owner: User) -> User:
        return {"owner": owner, "manager": owner.manager, "boss": users["boss"], "finance": users["finance1"]}[who]

    expenses = 0
    for round_ in range(3):
        for index, (label, major, steps) in enumerate(EXPENSE_SCENARIOS):
            owner = users[SALESPEOPLE[(index + round_ * 4) % len(SALESPEOPLE)]]
            customer = rng.choice(own[owner.pk]) if rng.random() < 0.8 else None
            category = rng.choice(list(ExpenseCategory))
            amount = Decimal(rng.randrange(6000, 30001, 100) if major else rng.randrange(200, 4801, 10))
            # R3 breach: recorded after it was spent, three days ago
            breach = label == "R3 breach"
            spent_on = today - datetime.timedelta(days=3)
            expense = expense_services.expense_create(
                actor=owner,
                category=category,
                amount=amount.quantize(CENT),
                planned_on=spent_on if breach else today + datetime.timedelta(days=rng.randint(1, 20)),
                purpose=EXPENSE_PURPOSES[category].format(customer=customer.name if customer else "潜在客户"),
                customer_id=customer.pk if customer else None,
                incurred_on=spent_on if breach else None,
            )
            for action, who in steps:
                expense = expense_services.expense_transition(
                    expense=expense,
                    action=action,
                    actor=actor_for(who, owner),
                    comment=rng.choice(REJECT_REASONS) if action == "reject" else "",
                )
            expenses += 1
    fees = 0
    for round_ in range(2):
        for index, (_, steps) in enumerate(SPECIAL_FEE_SCENARIOS):
            owner = users[SALESPEOPLE[(index + round_ * 3) % len(SALESPEOPLE)]]
            customer = rng.choice(own[owner.pk])
            kind = rng.choice(list(SpecialFeeKind))
            fee = expense_services.special_fee_create(
                actor=owner,
                customer_id=customer.pk,
                kind=kind,
                amount=Decimal(rng.randrange(2000, 60001, 500)).quantize(CENT),
                reason={
                    SpecialFeeKind.MARKETING: "{name}承办区域推广会，申请市场推广费",
                    SpecialFeeKind.TEMP_WORKERS: "{name}安装调试需临时雇用装卸工和辅助工",
                    SpecialFeeKind.OTHER: "{name}样机现场演示场地及用油费用",
                }[kind].format(name=customer.name),
            )
            for action, who in steps:
                actor = actor_for(who, owner)
                if action == "pay":
                    fee = expense_services.special_fee_record_payment(
                        fee=fee, actor=actor, paid_on=today, reference=f"网银转账 {rng.randint(10**11, 10**12 - 1)}"
                    )
                else:
                    fee = expense_services.special_fee_transition(
                        fee=fee,
                        action=action,
                        actor=actor,
                        comment=rng.choice(REJECT_REASONS) if action == "reject" else "",
                    )
            fees += 1
    return expenses, fees


# Dealer collection permits (R2): (owner, method, limit, days valid, steps, reason). They draw
# nothing from the seeded generator, so the rest of the demo is the same with or without them.
PERMIT_SCENARIOS = [
    ("sales1", CollectionMethod.CHEQUE, "80000.00", 30, [("submit", "owner"), ("approve", "manager")],
     "经销商财务人员休假，春耕备货款支票由业务员上门收取"),
    ("sales3", CollectionMethod.CASH, "15000.00", 7, [("submit", "owner")],
     "经销商地处偏远乡镇，当地无法办理对公转账，零星货款需现场收取"),
    ("sales2", CollectionMethod.ACCEPTANCE_BILL, "120000.00", 14,
     [("submit", "owner"), ("approve", "manager"), ("close", "finance")],
     "经销商以银行承兑汇票结算，要求业务员当面交接"),
]  # fmt: skip


def _collection_permits(users: dict[str, User], customers: list[Customer], today: datetime.date) -> int:
    """An approved permit in use, one waiting for the manager, one closed by finance once the money
    came in: raised and moved through the services, each for its owner's first dealer by code."""
    actors = {"manager": lambda owner: owner.manager, "finance": lambda owner: users["finance1"]}
    made = 0
    for username, method, limit, days, steps, reason in PERMIT_SCENARIOS:
        owner = users[username]
        dealers = sorted(
            (c for c in customers if c.owner_id == owner.pk and c.kind == CustomerKind.DEALER), key=lambda c: c.code
        )
        if not dealers:
            continue
        permit = expense_services.permit_create(
            actor=owner,
            customer_id=dealers[0].pk,
            limit_amount=Decimal(limit),
            method=method,
            reason=reason,
            valid_from=today,
            valid_until=today + datetime.timedelta(days=days - 1),
        )
        for action, who in steps:
            actor = owner if who == "owner" else actors[who](owner)
            permit = expense_services.permit_transition(permit=permit, action=action, actor=actor)
        made += 1
    return made


# The company stamp (公章)

_FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]


def find_cjk_font() -> tuple[str, int] | None:
    """A font file (and face index) that has Simplified Chinese glyphs, or None."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        for pattern in ("serif:lang=zh-cn", "sans-serif:lang=zh-cn"):
            try:
                answer = subprocess.run(  # nosec B603  # fc-match by its full path, fixed arguments, no shell
                    [fc_match, "-f", "%{file}\n%{index}\n%{lang}", pattern],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                )
                found = answer.stdout.split("\n")
            except (OSError, subprocess.SubprocessError):
                break
            if len(found) >= 3 and "zh-cn" in found[2].split("|") and Path(found[0]).is_file():
                return found[0], int(found[1] or 0)
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return path, 0
    return None


def draw_stamp(name: str, *, size: int = 400) -> bytes:
    """A red round company stamp as PNG: ring, five-pointed star, the name along the upper arc
    (when a CJK font is found; otherwise ring and star only)."""
    from PIL import Image, ImageDraw, ImageFont

    red = (206, 17, 38, 255)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin, ring = size // 40, size // 32
    draw.ellipse([margin, margin, size - margin, size - margin], outline=red, width=ring)
    centre = size / 2
    outer, inner = size * 0.15, size * 0.15 * 0.382
    star = []
    for point in range(10):
        angle = -math.pi / 2 + point * math.pi / 5
        radius = outer if point % 2 == 0 else inner
        star.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(star, fill=red)
    found = find_cjk_font()
    if found is None or not name:
        return _png(image)
    try:
        font = ImageFont.truetype(found[0], int(size * 0.115), index=found[1])
    except OSError:
        return _png(image)
    glyph_box = int(size * 0.16)
    stroke = max(1, size // 250)
    radius = centre - margin - ring - glyph_box * 0.45
    span = min(250.0, 24.0 * len(name))
    step = span / max(len(name) - 1, 1)
    for index, char in enumerate(name):
        # Angle measured clockwise from twelve o'clock; the text runs left to right over the top.
        degrees = -span / 2 + index * step if len(name) > 1 else 0.0
        glyph = Image.new("RGBA", (glyph_box, glyph_box), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph_box / 2, glyph_box / 2), char, font=font, fill=red, anchor="mm", stroke_width=stroke, stroke_fill=red
        )
        glyph = glyph.rotate(-degrees, resample=Image.Resampling.BICUBIC, expand=True)
        x = centre + radius * math.sin(math.radians(degrees)) - glyph.width / 2
        y = centre - radius * math.cos(math.radians(degrees)) - glyph.height / 2
        image.alpha_composite(glyph, (max(0, int(round(x))), max(0, int(round(y)))))
    return _png(image)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
