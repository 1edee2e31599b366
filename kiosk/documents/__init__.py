"""Printed documents (receipts, slips, the A4 policy guide) as PDF bytes, Qt-free.

Data in (:mod:`kiosk.documents.model`), PDF out (:func:`render`), 1-bit printer raster from
a PDF (:mod:`kiosk.documents.raster`).
"""

from kiosk.documents.model import (
    ApplicationReceipt,
    CallbackSlip,
    Document,
    JobSlip,
    PolicyGuide,
    PrinterTestPage,
    RegistrationSlip,
    SignupSlip,
    Station,
    VisitSlip,
)
from kiosk.documents.privacy import PrivacyError


def __getattr__(name: str) -> object:
    # render/qr_url pull in reportlab (~0.1 s); the kiosk needs them only when it prints, so
    # importing the document classes at start-up must not load it (PEP 562 lazy attribute).
    if name in ("render", "qr_url"):
        from kiosk.documents import receipts

        return getattr(receipts, name)
    raise AttributeError(name)

__all__ = [
    "ApplicationReceipt",
    "CallbackSlip",
    "Document",
    "JobSlip",
    "PolicyGuide",
    "PrinterTestPage",
    "PrivacyError",
    "RegistrationSlip",
    "SignupSlip",
    "Station",
    "VisitSlip",
    "qr_url",
    "render",
]
