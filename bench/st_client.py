"""A Streamlit session driven through Streamlit's own protocol, without a browser.

The browser's front end talks to the server over one WebSocket, `/_stcore/stream`: it sends
protobuf `BackMsg`s (a `rerun_script` with every widget's value and, for a fragment, its id) and
receives `ForwardMsg`s (the new session, deltas with the page's elements, `script_finished`).
`Session` does the same from Python (the `websockets` package): it keeps every widget's value as
the front end does (each widget's value as the server last drew it, set on its arrival), changes
one widget and re-runs, and records what a run drew (its elements by type, the widgets by key,
exceptions) and when its `script_finished` arrived. Many sessions run in one asyncio loop: a
client this light does not take the server's CPU on a small machine the way 30 Chromium pages
would.

Only what the benchmarks use is handled: sliders, select boxes, radios and select sliders,
Plotly charts, metrics and exceptions; no forward-message cache (the client reports no cached
hashes, so the server sends every message whole), no file uploads or components.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGETS = ("slider", "selectbox", "radio", "select_slider")
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
MAX_MESSAGE = 200 * 1024 * 1024


class ProtocolError(RuntimeError):
    """The server answered something a browser would show as a failure."""


@dataclass
class Widget:
    """A widget as the server last drew it, and the value this client holds for it."""

    kind: str
    id: str
    label: str
    options: list[str]
    state: WidgetState


@dataclass
class Run:
    """What one script run sent: its elements, and when it ended (perf_counter)."""

    started: float
    ended: float | None = None
    status: int | None = None
    elements: list[tuple[str, Any]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    fragment_id: str = ""
    reruns: int = 0  # runs the app ended early to re-run (st.rerun) before this one ended

    def of_type(self, kind: str) -> list[Any]:
        return [e for k, e in self.elements if k == kind]

    def plotly_specs(self) -> list[dict]:
        return [json.loads(p.spec) for p in self.of_type("plotly_chart")]

    def metrics(self) -> list[str]:
        return [m.body for m in self.of_type("metric")]


def _initial_state(kind: str, proto: Any) -> WidgetState:
    """The value the front end sets when a widget appears: the server's current value."""
    ws = WidgetState(id=proto.id)
    if kind == "slider":
        ws.double_array_value.data.extend(list(proto.value) or list(proto.default))
    elif kind in ("selectbox", "radio"):
        if proto.HasField("raw_value"):
            ws.string_value = proto.raw_value
        elif proto.HasField("default"):
            ws.string_value = proto.options[proto.default]
    elif kind == "select_slider":
        values = list(proto.value) or list(proto.default)
        ws.string_array_value.data.extend(proto.options[int(i)] for i in values)
    return ws


class Session:
    """One signed-in session on a running server (`base` is `http://host:port`)."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None,
                 timeout_s: float = 60.0) -> None:  # fmt: skip
        self.url = base.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.base = base.rstrip("/")
        self.cookies = cookies or {}
        self.timeout_s = timeout_s
        self.widgets: dict[str, Widget] = {}  # by user key (the id's suffix) or id
        self.fragment_ids: dict[str, str] = {}  # widget key -> fragment id it was drawn in
        self.ws: Any = None
        self.closed_reason: str | None = None
        self._runs: asyncio.Queue[Run] = asyncio.Queue()
        self._current: Run | None = None
        self._reader: asyncio.Task | None = None
        self.page_name = ""

    async def connect(self) -> None:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], additional_headers=headers,
            max_size=MAX_MESSAGE, open_timeout=self.timeout_s, compression=None,
            ping_interval=None,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                self._on_message(ForwardMsg.FromString(data))
        except websockets.ConnectionClosed as exc:
            self.closed_reason = f"closed: {exc}"
        except Exception as exc:  # noqa: BLE001  this client's own fault: say so
            self.closed_reason = f"client error: {type(exc).__name__}: {exc}"
        finally:
            if self.closed_reason is None:
                self.closed_reason = "closed by the server"
            if self._current is not None:  # wake whoever waits for this run
                self._current.exceptions.append(self.closed_reason)
                self._runs.put_nowait(self._current)
                self._current = None

    def _on_message(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta" and self._current is not None:
            delta = msg.delta
            if delta.WhichOneof("type") != "new_element":
                return
            el = delta.new_element
            etype = el.WhichOneof("type")
            proto = getattr(el, etype)
            self._current.elements.append((etype, proto))
            if etype == "exception":
                self._current.exceptions.append(f"{proto.type}: {proto.message}")
            elif etype in WIDGETS:
                if etype == "slider" and proto.type == SliderProto.Type.SELECT_SLIDER:
                    etype = "select_slider"  # drawn as a slider, its value the options' labels
                suffix = proto.id.rsplit("-", 1)[-1]
                key = suffix if suffix and suffix != "None" else proto.id
                old = self.widgets.get(key)
                state = old.state if old is not None and old.id == proto.id else None
                if state is None or proto.set_value:  # new, or set by the app
                    state = _initial_state(etype, proto)
                self.widgets[key] = Widget(etype, proto.id, proto.label,
                                           list(getattr(proto, "options", [])), state)  # fmt: skip
                if delta.fragment_id:
                    self.fragment_ids[key] = delta.fragment_id
        elif kind == "script_finished" and self._current is not None:
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self._current.reruns += 1  # the app re-runs itself: the same wait goes on
                return
            self._current.ended = time.perf_counter()
            self._current.status = msg.script_finished
            self._runs.put_nowait(self._current)
            self._current = None

    async def _rerun(self, fragment_id: str = "") -> Run:
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = ""
        cs.page_name = self.page_name
        cs.page_script_hash = ""
        if fragment_id:
            cs.fragment_id = fragment_id
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-GB"
        cs.context_info.url = f"{self.base}/{self.page_name}"
        for w in self.widgets.values():
            cs.widget_states.widgets.append(w.state)
        run = Run(time.perf_counter(), fragment_id=fragment_id)
        self._current = run
        await self.ws.send(back.SerializeToString())
        try:
            done = await asyncio.wait_for(self._runs.get(), self.timeout_s)
        except TimeoutError:
            self._current = None
            raise ProtocolError(f"no script_finished within {self.timeout_s:.0f} s") from None
        if done.ended is None:
            raise ProtocolError(self.closed_reason or "the run did not end")
        return done

    async def open_page(self, page_name: str) -> Run:
        """The first run of this session, on the page at URL path `page_name`."""
        self.page_name = page_name
        return await self._rerun()

    def set_value(self, key: str, value: Any) -> None:
        """Set a widget's value as a user would (an option's label, or a slider's number)."""
        w = self.widgets[key]
        ws = WidgetState(id=w.id)
        if w.kind == "slider":
            ws.double_array_value.data.append(float(value))
        elif w.kind in ("selectbox", "radio"):
            if value not in w.options:
                raise ProtocolError(f"{key}: {value!r} is not one of {w.options}")
            ws.string_value = value
        elif w.kind == "select_slider":
            ws.string_array_value.data.append(str(value))
        w.state = ws

    def value(self, key: str) -> Any:
        ws = self.widgets[key].state
        which = ws.WhichOneof("value")
        if which == "double_array_value":
            return ws.double_array_value.data[0] if ws.double_array_value.data else None
        if which == "string_array_value":
            return ws.string_array_value.data[0] if ws.string_array_value.data else None
        return getattr(ws, which) if which else None

    async def change(self, key: str, value: Any) -> Run:
        """Change one widget and wait for the run it starts (the fragment's, if it is in one)."""
        self.set_value(key, value)
        return await self._rerun(self.fragment_ids.get(key, ""))
