from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, views, views_registration as registration

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
    # Units register themselves (public), confirm the e-mail, the department approves (issue 16).
    path("register/", registration.register, name="register"),
    path("register/sent/", registration.registration_sent, name="registration_sent"),
    path("register/confirm/<str:token>/", registration.registration_confirm, name="registration_confirm"),
    path("activate/<str:uidb64>/<str:token>/", registration.activate, name="activate"),
    path("registrations/", registration.registrations, name="registrations"),
    path("registrations/<int:pk>/", registration.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/letter/", registration.registration_letter, name="registration_letter"),
    path("account-requests/<int:pk>/decide/", registration.account_request_decide, name="account_request_decide"),
    path("unit/accounts/", registration.unit_accounts, name="unit_accounts"),
    path("units/", registration.units, name="units"),
    path("units/<int:pk>/", registration.unit_detail, name="unit_detail"),
]
