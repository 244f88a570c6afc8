from django.contrib.auth import views as auth_views

from salesops.core.policy import PUBLIC, policy


@policy(PUBLIC)
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@policy(PUBLIC)
class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): GET never changes state."""
