from axes.backends import AxesStandaloneBackend


class RequestAwareAxesBackend(AxesStandaloneBackend):
    """Axes for every web login; calls without a request (shell, test client's login()) skip it.

    A login over HTTP always carries the request, so the lock-out cannot be bypassed from outside.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
