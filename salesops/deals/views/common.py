"""What the deals pages share: the Edit button's test, a button's service call, forms with lines."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound
from salesops.core.forms import apply_error
from salesops.core.views_generic import FormPage


def run_button(request: HttpRequest, call, done: str) -> bool:
    """Call a button's service; its refusal becomes a message (403/404 pages for scope)."""
    try:
        call()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


class LinesFormPage(FormPage):
    """A form with product lines: a service error on ``lines.<i>.<field>`` lands on its row."""

    form_errors = (ApplicationError,)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=422)
        try:
            result = self.perform(form)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            apply_error(form, form.line_errors(exc) if isinstance(exc, InvalidInput) else exc)
            return self.render_form(form, status=exc.status)
        messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.success_url(result))

    def success_message(self, result: Any) -> str:
        return _("%(number)s saved.") % {"number": result.number}
