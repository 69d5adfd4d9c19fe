"""Two-factor sign-in: authenticator app (TOTP), recovery codes and passkeys (issue 13).

Reads are in ``fundapp.accounts.mfa``; writes in ``services``; the gate that keeps an
unverified session out of everything else in ``middleware``.
"""
