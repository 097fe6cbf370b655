# Nimbus's Python runtime: the loop AWS's runtime interface client (awslambdaric) runs, against the
# Lambda Runtime API at AWS_LAMBDA_RUNTIME_API. Standard library only: it runs inside the function's
# own process, on the host's python3. Messages follow awslambdaric's. Started by Nimbus with a pipe
# (`--nimbus-runtime-pipe=3,4`, runtime-pipe.ts), the same loop asks and answers over it instead.
import atexit
import decimal
import http.client
import importlib
import json
import logging
import os
import struct
import sys
import time
import traceback

import nimbus_invoke_hosts

try:
    import resource
except ImportError:  # not on every platform
    resource = None

# The address space may grow this far past the function's memory before allocations fail: an
# interpreter maps far more than it touches (shared libraries, arenas), so an exact limit at
# MemorySize would fail functions that fit on AWS. A real blow-up still ends in MemoryError.
ADDRESS_SPACE_HEADROOM = 256 * 1024 * 1024


class Api:
    """The Runtime API client: one kept-alive connection, as the long poll and answers alternate."""

    def __init__(self, address):
        self.address = address
        self.conn = http.client.HTTPConnection(address)

    def call(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            try:
                self.conn.request(method, "/2018-06-01/runtime/" + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.address)
                if attempt == 1:
                    raise

    def post(self, path, payload, error_type=None):
        body = json.dumps(payload, default=encode_decimal).encode("utf-8") if not isinstance(payload, bytes) else payload
        headers = {"Content-Type": "application/json"}
        if error_type is not None:
            headers["Content-Type"] = "application/vnd.aws.lambda.error+json"
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        return self.call("POST", path, body, headers)


class PipeApi:
    """The Runtime API over Nimbus's pipe: framed messages, an answer sent with the request for the next invocation.

    Frame: [u8 kind][u32 header bytes][u32 body bytes][header][body], big-endian lengths; an INVOKE
    frame's header is lines (request id, deadline, ARN, trace id[, client context]) or JSON, a POST frame's
    lines (next, maxrss, path, errorType) or JSON (runtime-pipe.ts).
    """

    POST = 2
    INVOKE = 3

    def __init__(self, fds):
        self.input, self.output = fds
        # Inherited descriptors stay inheritable: the function's own children must not get the pipe.
        os.set_inheritable(self.input, False)
        os.set_inheritable(self.output, False)
        self.unsent = None
        # Whatever ends the process sends the held answer first.
        atexit.register(self.flush)

    def call(self, method, path, body=None, headers=None):
        if path != "invocation/next":
            raise ValueError("only invocation/next is read over the pipe")
        header, payload = self.unsent or ({}, b"")
        self.unsent = None
        header["next"] = True
        self.send(header, payload)
        while True:
            kind, header, payload = self.read()
            if kind == self.INVOKE:
                return 200, Headers(header), payload

    def post(self, path, payload, error_type=None):
        self.flush()
        body = json.dumps(payload, default=encode_decimal).encode("utf-8") if not isinstance(payload, bytes) else payload
        header = {"path": path}
        if error_type is not None:
            header["errorType"] = error_type
        self.unsent = (header, body)
        # Init errors end the process at once; invocation answers wait for the next call or the exit.
        if path == "init/error":
            self.flush()
        return 202, {}, b""

    def flush(self):
        if self.unsent is not None:
            header, body = self.unsent
            self.unsent = None
            self.send(header, body)

    def send(self, header, body):
        # The process's peak resident memory (KB on Linux) for the REPORT line.
        if resource is not None and sys.platform.startswith("linux"):
            header["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        head = post_header(header).encode("utf-8")
        data = struct.pack(">BII", self.POST, len(head), len(body)) + head + body
        view = memoryview(data)
        while view:
            view = view[os.write(self.output, view):]

    def read(self):
        kind, header_bytes, body_bytes = struct.unpack(">BII", self.read_exactly(9))
        raw = self.read_exactly(header_bytes) if header_bytes else b""
        return kind, invoke_header(raw), self.read_exactly(body_bytes)

    def read_exactly(self, size):
        chunks = []
        while size > 0:
            chunk = os.read(self.input, min(size, 1 << 20))
            if not chunk:
                # Nimbus is gone: the environment is being torn down.
                os._exit(1)
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)


def post_header(header):
    """A POST frame's header as lines (next, maxrss, path, then the errorType), JSON should the path hold a newline."""
    path = header.get("path", "")
    if "\n" in path:
        return json.dumps(header)
    rss = header.get("rss")
    return "\n".join(["1" if header.get("next") else "", "" if rss is None else str(rss), path, header.get("errorType") or ""])


INVOKE_HEADERS = ("lambda-runtime-aws-request-id", "lambda-runtime-deadline-ms", "lambda-runtime-invoked-function-arn",
                  "lambda-runtime-trace-id", "lambda-runtime-client-context")


def invoke_header(raw):
    """An INVOKE frame's header: its lines (or JSON, which starts with `{`) as the Lambda-Runtime-* headers."""
    if not raw:
        return {}
    if raw.startswith(b"{"):
        return json.loads(raw)
    return dict(zip(INVOKE_HEADERS, raw.decode("utf-8").split("\n", 4)))


class Headers(dict):
    """The Lambda-Runtime-* headers from the pipe (lower-case names), looked up as http.client's are, by any case."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


def pipe_argument():
    """The pipe's descriptors from sys.argv, removed so the handler sees sys.argv as without it."""
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--nimbus-runtime-pipe="):
            del sys.argv[i]
            fds = arg.split("=", 1)[1].split(",")
            if len(fds) == 2 and all(fd.isdigit() for fd in fds):
                return int(fds[0]), int(fds[1])
    return None


class FaultException(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    def __init__(self, data):
        self.client = Client(data["client"]) if data.get("client") else None
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, identity, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = CognitoIdentity(identity) if isinstance(identity, dict) else None
        self.client_context = ClientContext(client_context) if isinstance(client_context, dict) else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def __repr__(self):
        return "LambdaContext([aws_request_id={},function_name={}])".format(self.aws_request_id, self.function_name)


current_request_id = ""


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


class LambdaLogHandler(logging.Handler):
    """logging to stdout as AWS formats it; a multi-line record stays one event (\\r between lines)."""

    def emit(self, record):
        try:
            message = self.format(record).replace("\n", "\r")
            sys.stdout.write(message + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def setup_logging():
    handler = LambdaLogHandler()
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def encode_decimal(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError("Object of type {} is not JSON serializable".format(type(value).__name__))


def user_frames(tb):
    """The traceback without this bootstrap's own frames, formatted as awslambdaric does."""
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if not frame.filename.endswith("bootstrap.py") or os.path.dirname(frame.filename) != os.path.dirname(__file__):
            return traceback.format_list(frames[i:])
    return []


def error_body(error, request_id, stack=None):
    if isinstance(error, FaultException):
        return {"errorMessage": error.message, "errorType": error.error_type, "requestId": request_id, "stackTrace": error.trace}
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": stack if stack is not None else user_frames(error.__traceback__),
    }


def log_error(body):
    lines = "[ERROR] {}: {}".format(body["errorType"], body["errorMessage"])
    if body["stackTrace"]:
        lines += "\nTraceback (most recent call last):\n" + "".join(body["stackTrace"])
    sys.stdout.write(lines.rstrip("\n").replace("\n", "\r") + "\n")
    sys.stdout.flush()


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException("Runtime.BuiltInModuleConflict", "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    function = getattr(module, fname, None)
    if function is None:
        # As on AWS, a missing handler fails each invocation rather than the environment's init.
        fault = FaultException("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))

        def missing(event, context):
            raise fault
        return missing
    return function


def limit_memory():
    memory_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    if resource is None or not memory_mb:
        return
    limit = int(memory_mb) * 1024 * 1024 + ADDRESS_SPACE_HEADROOM
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


TRACE_ID = "_X_AMZN_TRACE_ID"


def trace_id_setter(environ):
    """Sets or removes _X_AMZN_TRACE_ID in `environ` (os.environ) for Python code alone.

    `os.environ[k] = v` also calls the C library's setenv, and glibc keeps every distinct value it was given
    for the process's life (~120 bytes an invocation, each trace id being new). The value goes into the
    mapping's own store instead, which os.environ, os.getenv and os.environb read (as do AWS's X-Ray SDK and
    Powertools): the C environment is left alone, so a native extension's getenv and a child process started
    without env= don't see the id. Where the mapping has no such store, the ordinary assignment is used.
    """
    data = getattr(environ, "_data", None)
    encodekey = getattr(environ, "encodekey", None)
    encodevalue = getattr(environ, "encodevalue", None)
    if not isinstance(data, dict) or encodekey is None or encodevalue is None:
        def assign(trace):
            if trace:
                environ[TRACE_ID] = trace
            else:
                environ.pop(TRACE_ID, None)
        return assign
    # Once, so the C environment holds no stale id from the process's start.
    environ.pop(TRACE_ID, None)
    key = encodekey(TRACE_ID)
    # User code that assigned the id itself (`os.environ[...] = v`) put it in the C environment too: taken
    # out each invocation (unsetenv frees nothing and allocates nothing), so a child started without env=
    # never sees a previous invocation's id.
    unsetenv = getattr(os, "unsetenv", None)

    def store(trace):
        if unsetenv is not None:
            unsetenv(TRACE_ID)
        if trace:
            data[key] = encodevalue(trace)
        else:
            data.pop(key, None)
    return store


set_trace_id = trace_id_setter(os.environ)


def invoke(api, handler, request_id, headers, body):
    global current_request_id
    current_request_id = request_id
    set_trace_id(headers.get("Lambda-Runtime-Trace-Id"))
    context = LambdaContext(
        request_id,
        int(headers.get("Lambda-Runtime-Deadline-Ms") or 0),
        headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        parse_json(headers.get("Lambda-Runtime-Cognito-Identity")),
        parse_json(headers.get("Lambda-Runtime-Client-Context")),
    )
    try:
        event = json.loads(body)
        result = handler(event, context)
    except Exception as error:
        failure = error_body(error, request_id)
        log_error(failure)
        api.post("invocation/{}/error".format(request_id), failure, failure["errorType"])
        return
    try:
        payload = json.dumps(result, default=encode_decimal).encode("utf-8")
    except Exception as error:
        failure = {"errorMessage": "Unable to marshal response: {}".format(error), "errorType": "Runtime.MarshalError",
                   "requestId": request_id, "stackTrace": []}
        log_error(failure)
        api.post("invocation/{}/error".format(request_id), failure, failure["errorType"])
        return
    api.post("invocation/{}/response".format(request_id), payload)


def parse_json(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def main():
    pipe = pipe_argument()
    api = PipeApi(pipe) if pipe is not None else Api(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()
    limit_memory()
    task_root = os.environ.get("LAMBDA_TASK_ROOT")
    if task_root and task_root not in sys.path:
        sys.path.insert(0, task_root)
    # The bootstrap's own directory is not the function's: keep `import bootstrap` and friends away from it.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    # AWS's samples call `https://{requestContext.domainName}/...`: those hosts reach Nimbus.
    nimbus_invoke_hosts.install(os.environ.get("AWS_ENDPOINT_URL"))
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as error:
        failure = error_body(error, "")
        log_error(failure)
        api.post("init/error", failure, failure["errorType"])
        sys.exit(1)
    while True:
        status, headers, body = api.call("GET", "invocation/next")
        if status != 200:
            sys.exit(1)
        invoke(api, handler, headers.get("Lambda-Runtime-Aws-Request-Id"), headers, body)


if __name__ == "__main__":
    main()
