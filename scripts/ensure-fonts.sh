#!/bin/sh
# PDFs in Arabic and Chinese need fonts that hold their scripts (WeasyPrint finds them
# through fontconfig): Debian's Amiri (Arabic, Naskh) and WenQuanYi Micro Hei (Chinese),
# installed when we may (root + apt), never downloaded at run time. Cyrillic, Latin and
# Greek are in DejaVu, which every Debian has.
have() { fc-list ":lang=$1" family 2>/dev/null | grep -q .; }
missing=""
have ar || missing="$missing fonts-hosny-amiri"
have zh-cn || missing="$missing fonts-wqy-microhei"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing fonts for Arabic and Chinese PDFs:$missing"
  # shellcheck disable=SC2086
  (apt-get install -y -qq --no-install-recommends $missing || \
   (apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing)) >/dev/null 2>&1
fi
have ar && have zh-cn || echo "note: fonts for Arabic or Chinese missing;$missing would draw their PDFs." >&2
exit 0
