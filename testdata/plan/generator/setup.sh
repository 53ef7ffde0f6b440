#!/bin/bash
# One-time setup for gen.sh: a Python venv with the plugin library the stand-in provider
# uses, and a filesystem mirror that makes Terraform run it as hashicorp/aws 5.82.2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$here/../../../target/plan-generator}
mkdir -p "$WORK"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q tf==1.2.0 grpcio==1.85.3 protobuf==5.29.6 msgpack==1.2.4 cryptography==50.0.2
bin=$WORK/mirror/registry.terraform.io/hashicorp/aws/5.82.2/linux_amd64
mkdir -p "$bin"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$WORK/venv/bin/python" "$here/fakeaws.py" > "$bin/terraform-provider-aws_v5.82.2"
chmod +x "$bin/terraform-provider-aws_v5.82.2"
cat > "$WORK/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$WORK/mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
TFRC
echo "ready: WORK=$WORK"
