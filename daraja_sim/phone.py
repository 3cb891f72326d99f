"""The simulated customer's handset at `/phone/<msisdn>`: plain HTML forms, no JavaScript.

Shows the open STK prompt ("Pay KSh 250 to MAMA MBOGA STORES? Enter M-PESA PIN") with PIN and
Cancel, and the customer's recent M-PESA SMS; `/phone/<msisdn>/pay` pays a till or paybill by
hand (C2B). The handset page refreshes itself every two seconds only while no prompt is open, so
typing a PIN is never disturbed.
"""

from __future__ import annotations

from html import escape
from string import Template
from typing import TYPE_CHECKING
from urllib.parse import quote

from daraja_sim.customers import SCRIPTED, is_msisdn
from daraja_sim.merchants import TILL_NUMBER
from daraja_sim.stk import prompt_text
from daraja_sim.web import Request, Response, html_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

_STYLE = """body{font-family:sans-serif;max-width:420px;margin:1em auto;padding:0 1em;
background:#f4f4f4}
.card{background:#fff;border-radius:8px;padding:1em;margin:1em 0;box-shadow:0 1px 3px #0002}
.prompt{border-left:6px solid #4caf50}.sms{font-size:.9em;border-left:4px solid #888}
.error{color:#b00020}input,button{font-size:1.1em;margin:.2em 0}h1{font-size:1.3em}"""

_PAGE = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
$refresh<title>M-PESA $msisdn</title><style>$style</style></head>
<body><h1>Phone $msisdn</h1><p>M-PESA balance: KSh $balance</p>$error$prompt
<p><a href="/phone/$msisdn/pay">Lipa na M-PESA: pay a till or paybill</a></p>
<h2>Messages</h2>$messages
<p><a href="/phone">All test phones</a></p></body></html>""")

# A page of its own: the handset page reloads itself, which would wipe a half-typed form.
_PAY = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lipa na M-PESA</title><style>$style</style></head>
<body><h1>Lipa na M-PESA</h1><div class="card">
<form method="post" action="/phone/$msisdn/pay">
<label>Till / paybill
<input name="shortcode" value="$till" inputmode="numeric" required></label><br>
<label>Account (paybill) <input name="account" maxlength="20"></label><br>
<label>Amount <input name="amount" inputmode="numeric" required></label><br>
<button type="submit">Pay</button></form></div>
<p><a href="/phone/$msisdn">Back</a></p></body></html>""")

_PROMPT = Template("""<div class="card prompt"><p><strong>$text</strong></p>
<form method="post" action="/phone/$msisdn/pin">
<input name="pin" type="password" inputmode="numeric" maxlength="4" pattern="[0-9]{4}"
 autocomplete="off" autofocus required aria-label="M-PESA PIN">
<button type="submit">OK</button></form>
<form method="post" action="/phone/$msisdn/cancel"><button type="submit">Cancel</button></form>
</div>""")


def _redirect(location: str) -> Response:
    return Response(303, b"", b"text/plain", [(b"location", location.encode())])


class PhonePages:
    """Render and act on the handset pages."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    async def index(self, request: Request) -> Response:
        """GET /phone: links to every scripted number and every phone with an open prompt."""
        numbers = sorted(set(SCRIPTED) | set(self._sim.stk.prompts))
        rows = "".join(f'<li><a href="/phone/{n}">{n}</a></li>' for n in numbers)
        return html_response(
            f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Test phones</title>"
            f"<style>{_STYLE}</style></head><body><h1>Test phones</h1>"
            "<p>Any other 2547…/2541… number works too: "
            "open <code>/phone/&lt;msisdn&gt;</code>.</p>"
            f"<ul>{rows}</ul></body></html>"
        )

    async def handle(self, request: Request) -> Response:
        """GET /phone/<msisdn>, POST /phone/<msisdn>/{pin,cancel,pay}."""
        msisdn, _, action = request.params.get("tail", "").partition("/")
        if not is_msisdn(msisdn):
            return html_response(
                "<p>Not a Safaricom number: use 2547XXXXXXXX or 2541XXXXXXXX.</p>", 404
            )
        if request.method in ("GET", "HEAD"):
            if not action:
                return self.render(msisdn, request.query.get("error", ""))
            if action == "pay":
                return html_response(_PAY.substitute(style=_STYLE, msisdn=msisdn, till=TILL_NUMBER))
        if request.method != "POST" or action not in ("pin", "cancel", "pay"):
            return html_response("<p>Unknown action.</p>", 404)
        form = request.form()
        error = ""
        try:
            if action == "pay":
                error = await self._pay(msisdn, form)
            else:
                self._sim.stk.answer(msisdn, form.get("pin", "") if action == "pin" else None)
        except (LookupError, ValueError) as exc:
            error = str(exc)
        suffix = f"?error={quote(error)}" if error else ""
        return _redirect(f"/phone/{msisdn}{suffix}")

    async def _pay(self, msisdn: str, form: dict[str, str]) -> str:
        shortcode = form.get("shortcode", "").strip()
        amount = form.get("amount", "").strip()
        if not (shortcode.isdigit() and self._sim.merchants.can_register_c2b(shortcode)):
            return "Enter a valid till or paybill number"
        if not amount.isdigit() or not 1 <= int(amount) <= 250_000:
            return "Enter an amount from 1 to 250,000"
        account = form.get("account", "").strip()[:20]
        command = "CustomerPayBillOnline" if account else "CustomerBuyGoodsOnline"
        result = await self._sim.c2b.pay(shortcode, msisdn, int(amount), account, command)
        return (
            ""
            if result["status"] == "completed"
            else f"Payment {result['status']}: {result['reason']}"
        )

    def render(self, msisdn: str, error: str = "") -> Response:
        """Return the handset page for `msisdn`."""
        sim = self._sim
        txn = sim.stk.prompts.get(msisdn)
        prompt = ""
        if txn is not None and txn.pending:
            prompt = _PROMPT.substitute(text=escape(prompt_text(txn)), msisdn=msisdn)
        messages = (
            "".join(
                f'<div class="card sms">{escape(text)}</div>'
                for text in sim.inboxes.messages(msisdn)
            )
            or "<p>No messages yet.</p>"
        )
        page = _PAGE.substitute(
            refresh="" if prompt else '<meta http-equiv="refresh" content="2">',
            msisdn=msisdn,
            style=_STYLE,
            balance=f"{sim.ledger.balance(msisdn):,}",
            error=f'<p class="error">{escape(error)}</p>' if error else "",
            prompt=prompt,
            messages=messages,
        )
        return html_response(page)
