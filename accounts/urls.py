from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/active/", views.set_user_active, name="set_user_active"),
    path("users/<int:pk>/reset-2fa/", views.reset_two_factor, name="reset_two_factor"),
    path("users/<int:pk>/unlock/", views.lift_lockout, name="lift_lockout"),
    path("security-events/", views.security_events, name="security_events"),
    path("2fa/setup/", otp_views.otp_setup, name="otp_setup"),
    path("2fa/verify/", otp_views.otp_verify, name="otp_verify"),
]
