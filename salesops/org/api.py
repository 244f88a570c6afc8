"""Authentication and master data of the organisation: tokens, the current user, regions, branches."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import paginate

from salesops.core.api import Pages, Problem, Router
from salesops.core.errors import ApplicationError
from salesops.core.policy import AUTHENTICATED, PUBLIC, policy

from .models import Branch, Region
from .services import api_token_issue

router = Router(tags=["org"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


class Unauthorized(ApplicationError):
    status = 401
    code = "invalid_credentials"


class Locked(ApplicationError):
    status = 429
    code = "locked"


@router.post("/auth/token", auth=None, response={200: TokenOut, 429: Problem}, operation_id="auth_token")
@policy(PUBLIC)
def auth_token(request, payload: TokenIn):
    """Exchange username and password for a Bearer token (lockout as on the HTML login)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise Locked(_("Too many failed log-ins: this account is locked for one hour from this address."))
    if user is None or not user.is_active:
        raise Unauthorized(_("Wrong username or password."))
    return {"token": api_token_issue(user=user)}


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[str]
    branch_id: int | None
    department_id: int | None


@router.get("/me", response=MeOut, operation_id="me_get")
@policy(AUTHENTICATED)
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "roles": sorted(user.roles),
        "branch_id": user.branch_id,
        "department_id": user.department_id,
    }


class RegionOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None


class BranchOut(Schema):
    id: int
    code: str
    name: str
    is_head_office: bool


@router.get("/regions", response=list[RegionOut], operation_id="region_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def region_list(request):
    return Region.objects.all()


@router.get("/branches", response=list[BranchOut], operation_id="branch_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def branch_list(request):
    return Branch.objects.all()
