"""fakesnow server that honours the JDBC_QUERY_RESULT_FORMAT session parameter, as Snowflake does.

fakesnow 0.12 always answers queries in Arrow (only DML counts come back as JSON), whatever the client asked for at
login. Snowflake answers in JSON when the session sets JDBC_QUERY_RESULT_FORMAT=JSON, and then snowflake-jdbc never
loads its Arrow reader (which needs --add-opens on Java 17+). This wrapper rewrites the Arrow rowset of a query response
to Snowflake's JSON rowset (every value a string, or null) for sessions that logged in with JDBC_QUERY_RESULT_FORMAT=JSON;
other sessions are served exactly as by fakesnow. A column type it cannot convert leaves the whole response in Arrow.

Usage: python fakesnow_json_results.py -p <port>   (prints uvicorn's "Uvicorn running on" line when ready)
"""

import argparse
import base64
import gzip
import json
import sys

import pyarrow as pa
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

import fakesnow.server as fs

json_sessions: set[str] = set()


async def login_request(request):
    body = await request.body()
    if request.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    params = json.loads(body)["data"].get("SESSION_PARAMETERS", {})
    wants_json = str(params.get("JDBC_QUERY_RESULT_FORMAT", "")).upper() == "JSON"
    response = await fs.login_request(request)
    token = json.loads(response.body).get("data", {}).get("token")
    if wants_json and token:
        json_sessions.add(token)
    return response


def _value(v, kind: str, scale: int):
    if v is None:
        return None
    if kind in ("text", "variant", "object", "array"):
        return v if isinstance(v, str) else json.dumps(v)
    if kind == "fixed":
        return str(v)
    if kind == "real":
        return repr(float(v))
    if kind == "boolean":
        return "1" if v else "0"
    # Dates, times and timestamps are left in Arrow: the sink never reads them back through JDBC.
    raise TypeError(kind)


def _to_json_rowset(data: dict):
    encoded = data.get("rowsetBase64")
    rowtype = data.get("rowtype") or []
    if not encoded:
        return []
    table = pa.ipc.open_stream(base64.b64decode(encoded)).read_all()
    columns = [c.to_pylist() for c in table.columns]
    kinds = [(c["type"].lower(), c.get("scale") or 0) for c in rowtype]
    return [[_value(col[r], *kinds[i]) for i, col in enumerate(columns)] for r in range(table.num_rows)]


async def query_request(request):
    response = await fs.query_request(request)
    token = request.headers.get("Authorization", "")[17:-1]
    if token not in json_sessions:
        return response
    payload = json.loads(response.body)
    data = payload.get("data") or {}
    if data.get("queryResultFormat") != "arrow":
        return response
    try:
        rowset = _to_json_rowset(data)
    except (TypeError, KeyError) as e:
        fs.logger.warning(f"JSON result format: cannot convert column type {e}, answering in Arrow")
        return response
    data.pop("rowsetBase64", None)
    data["queryResultFormat"] = "json"
    data["rowset"] = rowset
    data["returned"] = len(rowset)
    return JSONResponse(payload, status_code=response.status_code)


routes = [
    Route(r.path, {"/session/v1/login-request": login_request, "/queries/v1/query-request": query_request}.get(
        r.path, r.endpoint), methods=list(r.methods or []))
    for r in fs.routes
]
app = Starlette(debug=True, routes=routes)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="info")
    sys.exit(0)
