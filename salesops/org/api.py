"""Authentication and master data of the organisation: tokens, the current user, regions, branches."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import paginate

from salesops.core.api import Pages, Problem, Router
from salesops.core.errors import ApplicationError
from salesops.core.policy import AUTHENTICATED, PUBLIC, policy

from .lockout import ACCOUNT_LOCKED, account_locked_message
from .models import Branch, Region
from .selectors import api_token_get_for, api_token_list
from .services import api_token_issue, api_token_revoke

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
    if getattr(request, ACCOUNT_LOCKED, False):
        raise Locked(account_locked_message())
    if user is None or not user.is_active:
        raise Unauthorized(_("Wrong username or password."))
    # A token is a log-in: Django's hook lets django-axes log it (and clear this address's
    # failures) as it does for the HTML log-in; the log also marks the address as the user's own.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return {"token": api_token_issue(user=user)}


class TokenInfoOut(Schema):
    id: int
    user_id: int
    username: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None

    @staticmethod
    def resolve_username(token) -> str:
        return token.user.username


@router.get("/auth/tokens", response=list[TokenInfoOut], operation_id="api_token_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def token_list(request):
    """The caller's live tokens (every user's for the admin role): never the token itself."""
    return api_token_list(user=request.auth)


@router.delete("/auth/tokens/{int:token_id}", response={204: None}, operation_id="api_token_revoke")
@policy(AUTHENTICATED)
def token_revoke(request, token_id: int):
    """Revoke one of the caller's tokens (any user's for the admin role); another's answers 404."""
    api_token_revoke(token=api_token_get_for(user=request.auth, pk=token_id), actor=request.auth)
    return Status(204, None)


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
