"""Company, branches, departments, regions, users with roles and reporting lines, calendar overrides."""

from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac
from django.utils.translation import gettext_lazy as _

from salesops.core.pinyin import SearchKeyField, SearchKeyMixin

from .roles import Role


class Company(models.Model):
    """The company (公司) whose regulation salesops runs. One row."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    tax_number = models.CharField(_("taxpayer ID"), max_length=30, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=200, blank=True)
    stamp = models.ImageField(_("stamp image"), upload_to="company/", blank=True)
    # R4: a quoted price more than this fraction below the standard price is non-standard.
    max_discount_rate = models.DecimalField(
        _("largest standard discount"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("A price further below the standard price needs the manager's approval (R4)."),
    )
    # R15 "before the 5th": by the end of this day of the next month; when it is not a working day,
    # by the end of the next working day.
    register_due_day = models.PositiveSmallIntegerField(
        _("contract register due day"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Last month's contract register is due by the end of this day "
            "(the next working day when it is not one), R15."
        ),
    )
    # D7: an approval step pending longer than this many working days is overdue.
    approval_overdue_working_days = models.PositiveSmallIntegerField(
        _("approval overdue after (working days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("An approval pending longer is overdue: escalated and counted (D7)."),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Company":
        company = cls.objects.order_by("pk").first()
        if company is None:
            company = cls.objects.create(name="salesops")
        return company


class MajorThreshold(models.Model):
    """Amount from which a document of a type is "major" (重大) and needs leadership."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("company"))
    doc_type = models.CharField(_("document type"), max_length=60, help_text=_("app_label.model"))
    amount = models.DecimalField(
        _("major from amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("major threshold")
        verbose_name_plural = _("major thresholds")
        constraints = [
            models.UniqueConstraint(fields=["company", "doc_type"], name="org_majorthreshold_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="org_majorthreshold_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} ≥ {self.amount}"


class Region(models.Model):
    """Sales region or territory (区域)."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """Head office or branch company (分公司)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="branches", verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    is_head_office = models.BooleanField(_("head office"), default=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    manager = models.ForeignKey(
        "org.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_branches",
        verbose_name=_("branch manager"),
    )

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """Department within a branch (部门); the sales manager heads a sales department."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="departments", verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=100)
    manager = models.ForeignKey(
        "org.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_departments",
        verbose_name=_("department manager"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["branch__code", "name"]

    def __str__(self) -> str:
        return f"{self.branch} / {self.name}"


class User(SearchKeyMixin, AbstractUser):
    """A member of staff; roles in ``UserRole``; ``manager`` is the reporting line.

    ``search_key`` finds a colleague by name in Chinese, full pinyin or initials (the display
    name's first character read as a surname: 曾 zeng) or by username.
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("branch")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("manager")
    )
    # Changing roles or disabling the user changes this stamp, which ends the user's sessions.
    security_stamp = models.CharField(_("security stamp"), max_length=32, default="", editable=False)
    search_key = SearchKeyField(
        _("search key"), sources=["display_name", "last_name", "first_name", "username"], surname=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "role_links" in cache:
            return frozenset(link.role for link in cache["role_links"])
        return frozenset(self.role_links.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def get_session_auth_hash(self) -> str:
        key_salt = "salesops.org.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}|{self.security_stamp}", algorithm="sha256").hexdigest()

    def rotate_security_stamp(self) -> None:
        self.security_stamp = get_random_string(32)


def active_holders(*roles: str) -> "models.QuerySet[User]":
    """Active users holding any of ``roles`` (each once)."""
    return User.objects.filter(is_active=True, role_links__role__in=roles).distinct()


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_links", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="org_userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class CalendarOverride(models.Model):
    """Company override of the statutory calendar: a day made working or non-working."""

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Written by entering the year's official arrangement (replaced when it is entered again).
    from_arrangement = models.BooleanField(_("from the official arrangement"), default=False, editable=False)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'+' if self.is_workday else '-'}"


class CalendarYear(models.Model):
    """A year whose official holiday arrangement the admin entered (放假安排): from then on its
    working days are weekends plus its overrides, no longer provisional (``org.calendar``)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    entered_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice"))

    class Meta:
        verbose_name = _("official holiday arrangement")
        verbose_name_plural = _("official holiday arrangements")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class ApiToken(models.Model):
    """Per-user API token for ``Authorization: Bearer``; only its SHA-256 digest is stored.

    A token expires (``API_TOKEN_DAYS``) and is bound to the user's password and security
    stamp at issue (``user_stamp``): a password change, a role change or disabling the user
    makes it stale, whichever path changed the password (issue 7, item 7).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    digest = models.CharField(_("token digest"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, blank=True)
    user_stamp = models.CharField(_("security stamp"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}… {self.created_at:%Y-%m-%d}"

    def is_live(self, now: datetime) -> bool:
        """Not expired, its user active, and issued under the user's current password and stamp."""
        return (
            self.expires_at > now
            and self.user.is_active
            and constant_time_compare(self.user_stamp, self.user.get_session_auth_hash())
        )


class LoginFailure(models.Model):
    """One failed log-in for a username from an address: the per-account limit across addresses
    counts these (issue 7, item 8). The username is kept as typed, known or not, so an unknown
    name is answered like a known one."""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("failed log-in")
        verbose_name_plural = _("failed log-ins")
        indexes = [models.Index(fields=["username", "at"], name="org_loginfailure_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.ip_address} {self.at:%Y-%m-%d %H:%M}"
