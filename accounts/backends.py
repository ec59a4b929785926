from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


class RequestAwareAxesBackend(AxesStandaloneBackend):
    """Axes for every web login, plus the per-user limit across addresses (accounts.throttle).

    Calls without a request (shell, test client's login()) skip it. A login over HTTP always carries
    the request, so neither limit can be bypassed from outside, the Django admin's login included.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        from .security import client_ip
        from .throttle import seconds_to_wait

        wait = seconds_to_wait(username or "", client_ip(request))
        if wait:
            # Refused before the password is checked. Marked as an axes lock-out so that axes'
            # middleware answers with the lock-out page and the refusal is not counted as a failure.
            request.axes_locked_out = request.login_refused = True
            request.login_throttled_seconds = wait
            raise AxesBackendPermissionDenied("该账号登录失败次数过多，请稍后再试。")
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refused = True  # locked out for this address: the password was not checked
            raise
