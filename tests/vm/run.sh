#!/usr/bin/env bash
# The edge app against real kernel drivers: boots a throw-away QEMU VM with Debian's own kernel, whose initramfs loads the
# vivid virtual camera (V4L2) and the gpio-sim GPIO simulator, and runs guest.sh there: the NativeAOT edgecnn-run captures
# YUYV from /dev/video0, runs the model, drives a gpio-sim line by a rule and writes JSON lines; guest.sh reads the line
# and the JSON lines back, unbinds and rebinds vivid mid-stream and checks the app recovers within 3 s without restarting.
#
# usage: tests/vm/run.sh [PUBLISH_DIR]   (a linux-x64 NativeAOT publish of src/EdgeCnn.App built for x86-x64-v3; without
#                                         it the script publishes one)
# Prints one "PASS ..." or "FAIL ..." line per check and "vm-test: N passed, M failed"; exits 0 only if all passed.
# env: ACCEL=auto|kvm|tcg  TIMEOUT_S (default 240)  VM_CACHE (default /var/tmp/edgecnn-vm: built gpio-sim modules, vmlinux)
# Needs (installed from Debian's archive when missing and running as root): qemu-system-x86 linux-image-amd64 busybox-static
# cpio kmod xz-utils, and to build gpio-sim (Debian's kernel does not ship it): linux-headers-<kver> linux-source-<x.y> make bc gcc.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${VM_CACHE:-/var/tmp/edgecnn-vm}
TIMEOUT_S=${TIMEOUT_S:-240}
ACCEL=${ACCEL:-auto}
log() { echo "[vm-test] $*" >&2; }
fail_setup() { echo "FAIL vm-test setup: $*"; echo "vm-test: 0 passed, 1 failed"; exit 1; }

# ------------------------------------------------------------------ packages
install_missing() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
  [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static || need+=(busybox-static)
  command -v cpio >/dev/null || need+=(cpio)
  command -v modprobe >/dev/null || need+=(kmod)
  command -v xz >/dev/null || need+=(xz-utils)
  command -v make >/dev/null || need+=(make)
  command -v bc >/dev/null || need+=(bc)
  command -v gcc >/dev/null || need+=(gcc)
  command -v file >/dev/null || need+=(file)
  ls /boot/vmlinuz-* >/dev/null 2>&1 || need+=(linux-image-amd64)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || fail_setup "missing ${need[*]} and not root to install them"
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 \
      || fail_setup "apt-get install ${need[*]} failed"
  fi
  KVER=${KVER:-$(ls /boot/vmlinuz-* | sed 's|/boot/vmlinuz-||' | sort -V | tail -1)}
  SERIES=$(echo "$KVER" | cut -d. -f1,2)
  need=()
  [ -d "/usr/src/linux-headers-$KVER" ] || need+=("linux-headers-$KVER")
  [ -f "/usr/src/linux-source-$SERIES.tar.xz" ] || need+=("linux-source-$SERIES")
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || fail_setup "missing ${need[*]} and not root to install them"
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 || fail_setup "apt-get install ${need[*]} failed"
  fi
}

# ------------------------------------------------------------------ gpio-sim, built out of tree
# Debian's 6.1 kernel has CONFIG_GPIO_SIM and CONFIG_IRQ_SIM unset. irq_sim.c becomes its own module; it calls
# handle_simple_irq(irq_to_desc()), and irq_to_desc is not exported to modules, so use generic_handle_irq_safe().
build_gpio_sim() {
  local dir=$CACHE/gpio-sim-$KVER
  if [ -f "$dir/gpio-sim.ko" ] && [ -f "$dir/irq_sim.ko" ]; then GPIOSIM=$dir; return; fi
  rm -rf "$dir"; mkdir -p "$dir"
  tar -xJf "/usr/src/linux-source-$SERIES.tar.xz" -C "$dir" --transform='s|.*/||' \
    "linux-source-$SERIES/drivers/gpio/gpio-sim.c" "linux-source-$SERIES/drivers/gpio/gpiolib.h" "linux-source-$SERIES/kernel/irq/irq_sim.c"
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq_safe(irqnum);/' "$dir/irq_sim.c"
  grep -q MODULE_LICENSE "$dir/irq_sim.c" || printf '\n#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >> "$dir/irq_sim.c"
  echo 'obj-m += irq_sim.o gpio-sim.o' > "$dir/Kbuild"
  make -s -C "/usr/src/linux-headers-$KVER" M="$dir" modules >&2 || fail_setup "building gpio-sim against linux-headers-$KVER failed"
  strip --strip-debug "$dir"/*.ko
  GPIOSIM=$dir
}

# The bzImage boots through SeaBIOS and in-guest decompression (seconds under TCG); QEMU boots the ELF vmlinux directly
# through its PVH note (Debian kernels have CONFIG_PVH=y), so unpack it once.
vmlinux() {
  local out=$CACHE/vmlinux-$KVER off
  if [ -s "$out" ]; then echo "$out"; return; fi
  for off in $(LC_ALL=C grep -aboP '\xfd7zXZ\x00' "/boot/vmlinuz-$KVER" | cut -d: -f1); do
    tail -c +$((off + 1)) "/boot/vmlinuz-$KVER" | xz -dc > "$out.tmp" 2>/dev/null || true
    if readelf -n "$out.tmp" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'; then mv "$out.tmp" "$out"; echo "$out"; return; fi
  done
  rm -f "$out.tmp"; echo "/boot/vmlinuz-$KVER"
}

# ------------------------------------------------------------------ initramfs
build_initramfs() {
  local root=$WORK/root
  rm -rf "$root"; mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,app,lib/modules/$KVER/extra}
  cp /bin/busybox "$root/bin/busybox"; ln -s busybox "$root/bin/sh"
  : > "$root/etc/modules"
  for m in configfs vivid; do
    modprobe -S "$KVER" --show-depends "$m" | awk '$1=="insmod"{print $2}' | while read -r ko; do
      grep -qx "$ko" "$root/etc/modules" && continue
      mkdir -p "$root$(dirname "$ko")"; cp "$ko" "$root$ko"; echo "$ko" >> "$root/etc/modules"
    done
  done
  cp "$GPIOSIM"/{irq_sim,gpio-sim}.ko "$root/lib/modules/$KVER/extra/"
  cp "$PUBLISH/edgecnn-run" "$root/app/"
  gcc -O2 -Wall -o "$root/app/vivid-inject" "$HERE/vivid-inject.c" || fail_setup "building tests/vm/vivid-inject.c failed"
  # The AOT binary links the C runtime; the runtime dlopens OpenSSL's libcrypto for the model file's SHA-256 digest.
  local libs; libs="$(ldd "$PUBLISH/edgecnn-run" | grep -o '/[^ ]*') $(ldd "$root/app/vivid-inject" | grep -o '/[^ ]*')"
  for so in libssl.so.3 libcrypto.so.3; do
    local path; path=$(ldconfig -p | awk -v n="$so" '$1 == n && /x86-64/ && p == "" {p = $NF} END {print p}')
    [ -n "$path" ] && libs="$libs $path $(ldd "$path" | grep -o '/[^ ]*')"
  done
  for lib in $(echo "$libs" | tr ' ' '\n' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
  cp "$HERE/guest.sh" "$root/init"; chmod +x "$root/init"
  (cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) > "$WORK/initramfs.cpio.gz"
}

t0=$(date +%s.%N)
install_missing
mkdir -p "$CACHE"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/edgecnn-vm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PUBLISH=${1:-}
if [ -z "$PUBLISH" ]; then
  PUBLISH=$WORK/publish
  log "publishing the NativeAOT binary (x86-x64-v3: TCG emulates AVX2 but not AVX-512)"
  dotnet publish "$REPO/src/EdgeCnn.App" -c Release -r linux-x64 -p:IlcInstructionSet=x86-x64-v3 -o "$PUBLISH" >&2 || fail_setup "dotnet publish failed"
fi
[ -x "$PUBLISH/edgecnn-run" ] || fail_setup "$PUBLISH/edgecnn-run is not an executable"
build_gpio_sim
KERNEL=$(vmlinux)
build_initramfs

accel=$ACCEL
if [ "$accel" = auto ]; then
  # a /dev/kvm backed by kvm_pvm (some nested sandboxes) only runs PVM guest kernels; a stock kernel hangs there
  if [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ]; then accel=kvm; else accel=tcg; fi
fi
if [ "$accel" = kvm ]; then ACCEL_ARGS=(-enable-kvm -cpu host); else ACCEL_ARGS=(-accel tcg,thread=multi -cpu max); fi
log "kernel $KVER ($KERNEL), accel $accel, setup $(echo "$(date +%s.%N) - $t0" | bc) s"
console=$WORK/console.log
set +e
# -M pc, not microvm: microvm hangs in ~10% of TCG boots (no fallback timer when PIT calibration fails)
timeout "$TIMEOUT_S" qemu-system-x86_64 "${ACCEL_ARGS[@]}" -M pc -smp 2 -m 512 -kernel "$KERNEL" -initrd "$WORK/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init" -nographic -no-reboot -nodefaults -serial stdio -monitor none -net none \
  </dev/null > "$console" 2>&1
qrc=$?
set -e
tr -d '\r' < "$console" | grep -E '^(PASS|FAIL|GUEST|JSONL|SUMMARY)' || true
log "VM finished (qemu exit $qrc) after $(echo "$(date +%s.%N) - $t0" | bc) s in total"
passed=$(tr -d '\r' < "$console" | grep -c '^PASS' || true)
failed=$(tr -d '\r' < "$console" | grep -c '^FAIL' || true)
if ! grep -a -q '^GUEST-DONE' "$console"; then
  echo "FAIL the VM did not finish the test (qemu exit $qrc; timeout ${TIMEOUT_S} s); console tail:"
  tail -n 30 "$console" | sed 's/^/  /'
  failed=$((failed + 1))
fi
echo "vm-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
