#!/usr/bin/env bash
# Measures the suite on this machine and regenerates the README's performance table and chart:
#   1. oneDNN and XNNPACK with ../shared/bench/peers/peers.sh (when it is there), just before;
#   2. the quick mode: generated, fallback and ONNX Runtime side by side in one process, 2 threads too;
#   3. docs/benchmarks/quick.md (the table), quick.tsv (the numbers) and gflops.png (the chart);
#   4. the table between the README's quick-table markers.
# Ratios hold for one run on one machine only: the CPU behind this machine kind changes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks
mkdir -p "$out"
peers_args=()
if [[ -f ../shared/bench/peers/peers.sh ]]; then
  bash ../shared/bench/peers/peers.sh > "$out/peers.tsv"
  peers_args=(--peers "$out/peers.tsv")
fi
dotnet build benchmarks/SpecializedConv.Benchmarks -c Release -nologo -v quiet
bench=benchmarks/SpecializedConv.Benchmarks/bin/Release/net10.0/SpecializedConv.Benchmarks.dll
dotnet "$bench" --quick "${peers_args[@]}" --threads 2 --out "$out/quick.tsv" | tee "$out/quick.md"
dotnet "$bench" --chart "$out/quick.tsv" "$out/gflops.png"
python3 - "$out/quick.md" README.md <<'PY'
import sys, re
table = open(sys.argv[1]).read().strip()
readme = open(sys.argv[2]).read()
start, end = "<!-- quick-table:start -->", "<!-- quick-table:end -->"
readme = re.sub(re.escape(start) + ".*?" + re.escape(end), start + "\n" + table + "\n" + end, readme, flags=re.S)
open(sys.argv[2], "w").write(readme)
PY
echo "updated README.md, $out/quick.md, $out/quick.tsv, $out/gflops.png"
