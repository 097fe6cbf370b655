# API Gateway invoke hosts inside a Python function, as AWS's samples use them:
# `boto3.client("apigatewaymanagementapi", endpoint_url=f"https://{domain}/{stage}")`, or a call to an
# API's invoke URL. In Nimbus those names (`{id}.execute-api.localhost`...) don't resolve and nothing
# serves TLS, so requests to them go to Nimbus's own endpoint (AWS_ENDPOINT_URL, plain http) with the
# original name in the Host header, which is how Nimbus's gateway tells APIs apart. Every other request
# is left alone. botocore's URLLib3Session.send and urllib.request's handlers are wrapped when (and
# only if) the function imports them, so a function that uses neither pays nothing. Standard library
# only; imported by bootstrap.py (the name keeps clear of the function's own modules).
import re
import sys

# `{id}.execute-api.localhost`, `{id}.execute-api.{region}.amazonaws.com`, `{id}.execute-api.localhost.localstack.cloud`.
INVOKE_HOST = r"^[a-z0-9]+\.execute-api\.(?:localhost|localhost\.localstack\.cloud|[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com)\.?\Z"
# Compiled on first use: compiling costs a cold start about a millisecond.
_pattern = None


def is_invoke_host(hostname):
    global _pattern
    if not isinstance(hostname, str):
        return False
    if _pattern is None:
        _pattern = re.compile(INVOKE_HOST, re.IGNORECASE)
    return _pattern.match(hostname) is not None


def install(endpoint_url):
    """Wraps the clients once they are imported; nothing without a plain-http endpoint."""
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint_url or "")
    if parts.scheme != "http" or not parts.hostname:
        return
    target = parts.netloc
    patches = {
        "botocore.httpsession": lambda module: patch_botocore(module, target),
        "urllib.request": lambda module: patch_urllib(module, target),
    }
    for name in list(patches):
        if name in sys.modules:
            patches.pop(name)(sys.modules[name])
    if patches:
        sys.meta_path.insert(0, PatchOnImport(patches))


def redirected_url(url, target):
    """(url at Nimbus, original Host) for an https URL (or port-less http one) naming an invoke host, else None."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    if not is_invoke_host(parts.hostname):
        return None
    if parts.scheme != "https" and (parts.scheme != "http" or port is not None):
        return None
    host = parts.hostname if port is None or port == 443 else f"{parts.hostname}:{port}"
    return urlunsplit(("http", target, parts.path or "/", parts.query, "")), host


def patch_botocore(module, target):
    session = module.URLLib3Session
    original = session.send

    def send(self, request):
        found = redirected_url(request.url, target)
        if found is not None:
            request.url, host = found
            if "Host" not in request.headers:
                request.headers["Host"] = host
        return original(self, request)

    send.__wrapped__ = original
    session.send = send


def patch_urllib(module, target):
    import http.client

    https_handler = module.HTTPSHandler
    http_handler = module.HTTPHandler
    https_open = https_handler.https_open
    http_open = http_handler.http_open

    def to_nimbus(self, req, original):
        found = redirected_url(req.full_url, target)
        if found is None:
            return original(self, req)
        # The request's preprocessing already set Host from the original name; only the connection moves.
        if not req.has_header("Host"):
            req.add_unredirected_header("Host", found[1])
        named = req.host
        req.host = target
        try:
            return self.do_open(http.client.HTTPConnection, req)
        finally:
            req.host = named

    https_handler.https_open = lambda self, req: to_nimbus(self, req, https_open)
    http_handler.http_open = lambda self, req: to_nimbus(self, req, http_open)


class PatchOnImport:
    """A meta path finder that lets the normal finders load a watched module, then patches it."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, fullname, path=None, target=None):
        patch = self.patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    del self.patches[fullname]
                    spec.loader = PatchingLoader(spec.loader, patch)
                return spec
        return None


class PatchingLoader:
    def __init__(self, loader, patch):
        self.loader = loader
        self.patch = patch

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.patch(module)

    def __getattr__(self, name):
        return getattr(self.loader, name)
