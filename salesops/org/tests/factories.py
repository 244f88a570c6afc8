"""Factories for the organisation: a company with head office and a branch, and staff by role."""

from dataclasses import dataclass
from typing import cast

import factory

from salesops.org.models import Branch, Company, Department, Region, User, UserRole
from salesops.org.roles import Role


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "测试机械有限公司"
    address = "山东省济南市高新区工业南路 1 号"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"区域{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.Sequence(lambda n: f"分公司{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    branch = factory.SubFactory(BranchFactory)
    name = "销售部"


def make_user(username: str, *roles: str, branch=None, department=None, manager=None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        display_name=extra.pop("display_name", username),
        branch=branch,
        department=department,
        manager=manager,
        **extra,
    )
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    return user


@dataclass
class Staff:
    """Everyone the tests act as. ``sales_a`` and ``sales_b`` share a department (manager1);
    ``sales_c`` is in the branch's department (manager2, branch manager ``branch_mgr``)."""

    company: Company
    head_office: Branch
    branch: Branch
    hq_sales: Department
    branch_sales: Department
    region: Region
    manager1: User
    manager2: User
    branch_mgr: User
    sales_a: User
    sales_b: User
    sales_c: User
    boss: User
    finance: User
    back_office: User
    warehouse: User
    technical: User
    purchasing: User
    admin: User


def build_staff() -> Staff:
    # The one company (a migration may already have created it): Company.current() is what prints.
    company = Company.current()
    company.name = "测试机械有限公司"
    company.address = "山东省济南市高新区工业南路 1 号"
    company.save()
    # factory_boy ships no types: a factory call is the model instance it creates.
    region = cast(Region, RegionFactory(code="SD", name="山东"))
    head_office = cast(
        Branch, BranchFactory(company=company, code="HQ", name="总部", is_head_office=True, region=region)
    )
    branch = cast(Branch, BranchFactory(company=company, code="QD", name="青岛分公司", region=region))
    hq_sales = cast(Department, DepartmentFactory(branch=head_office, name="销售一部"))
    branch_sales = cast(Department, DepartmentFactory(branch=branch, name="青岛销售部"))
    manager1 = make_user("manager1", Role.SALES_MANAGER, branch=head_office, department=hq_sales)
    manager2 = make_user("manager2", Role.SALES_MANAGER, branch=branch, department=branch_sales)
    branch_mgr = make_user("branchmgr", Role.BRANCH_MANAGER, branch=branch)
    hq_sales.manager = manager1
    hq_sales.save()
    branch_sales.manager = manager2
    branch_sales.save()
    branch.manager = branch_mgr
    branch.save()
    boss = make_user("boss", Role.LEADERSHIP, branch=head_office)

    def staff(name, role, home=head_office, dept=None, manager=None):
        return make_user(name, role, branch=home, department=dept, manager=manager)

    return Staff(
        company=company,
        head_office=head_office,
        branch=branch,
        hq_sales=hq_sales,
        branch_sales=branch_sales,
        region=region,
        manager1=manager1,
        manager2=manager2,
        branch_mgr=branch_mgr,
        sales_a=staff("sales_a", Role.SALESPERSON, dept=hq_sales, manager=manager1),
        sales_b=staff("sales_b", Role.SALESPERSON, dept=hq_sales, manager=manager1),
        sales_c=staff("sales_c", Role.SALESPERSON, home=branch, dept=branch_sales, manager=manager2),
        boss=boss,
        finance=staff("finance", Role.FINANCE),
        back_office=staff("office", Role.BACK_OFFICE),
        warehouse=staff("warehouse", Role.WAREHOUSE),
        technical=staff("tech", Role.TECHNICAL),
        purchasing=staff("purchase", Role.PURCHASING),
        admin=make_user("admin", Role.ADMIN, branch=head_office, is_staff=True, is_superuser=False),
    )
