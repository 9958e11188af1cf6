#!/bin/sh
# Installs the Debian/Ubuntu packages the project needs, if any is missing:
#   fonts-nanum, libharfbuzz-subset0  Korean fonts for the PDFs, fast font subsetting
#   gettext                           compiles the translations (msgfmt)
#   chromium                          the browser the end-to-end tests drive
#   poppler-utils                     pdftotext, pdffonts: the tests read the PDFs back
#   python3-venv                      only where python3 lacks ensurepip
#   npm                               only where there is none: browser assets (signature_pad)
set -eu
packages="fonts-nanum libharfbuzz-subset0 gettext chromium poppler-utils"
python3 -c "import ensurepip" 2>/dev/null || packages="$packages python3-venv"
command -v npm >/dev/null 2>&1 || packages="$packages npm"

missing=""
for package in $packages; do
    [ "$package" = npm ] && { missing="$missing npm"; continue; }
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

echo "Installing system packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "Please install as root: apt-get install$missing" >&2
    exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
