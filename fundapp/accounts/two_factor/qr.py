"""The enrolment QR code, drawn on the server as inline SVG (no image service, no CDN)."""

import qrcode
import qrcode.image.svg
from django.utils.html import escape


def qr_svg(data: str, label: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8,
                        border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") + 4:]  # inline: without the XML declaration
    return f'<svg class="qr" role="img" aria-label="{escape(label)}"{svg}'
