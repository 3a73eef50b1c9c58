#!/usr/bin/env bash
# Usage: decode_qr.sh IMAGE.svg
# Renders an SVG as a real client would (librsvg) and reads it back with a real QR decoder
# (ZBar), printing the decoded bytes exactly (no trailing newline) on stdout. Used by the QR round-trip test;
# needs rsvg-convert (librsvg2-bin) and zbarimg (zbar-tools). Exit 2 when a tool is missing.
set -euo pipefail
svg=$1
for tool in rsvg-convert zbarimg; do
  command -v "$tool" >/dev/null || { echo "decode_qr: $tool not installed" >&2; exit 2; }
done
png=$(mktemp --suffix=.png)
trap 'rm -f "$png"' EXIT
# 8 pixels per module at about 60 modules: the size of a phone photo of a screen, not a thumbnail.
rsvg-convert --width 480 --height 480 --format png --output "$png" "$svg"
# --raw: only the data, no "QR-Code:" prefix; -Sbinary: the bytes as encoded, with no charset
# guess and no newline after them.
zbarimg --quiet --raw -Sbinary "$png"
