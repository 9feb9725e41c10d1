#!/bin/sh
# /init of the test VM (busybox sh): loads vivid and gpio-sim, runs edgecnn-run on /dev/video0 with a rule driving a
# gpio-sim line, reads the line and the JSON lines back, unplugs the camera (unbind/bind) and checks recovery.
# Prints PASS/FAIL lines that tests/vm/run.sh counts, then powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
KVER=$(uname -r)
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
check() { if [ "$1" = 0 ]; then pass "$2"; else fail "$2"; fi; }
uptime_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
frames() { cat /tmp/out.jsonl 2>/dev/null | grep -c '^{"frame"'; }
finish() { echo "GUEST-DONE"; poweroff -f; }

# vivid: one capture node with one webcam input (640x480 up to 25 fps); deterministic colour-bar frames; its error
# injection controls on (no_error_inj=0) for the drop-and-requeue checks.
while read -r ko; do
  case "$ko" in
    */vivid.ko) insmod "$ko" n_devs=1 node_types=0x1 num_inputs=1 input_types=0x0 no_error_inj=0 ;;
    *) insmod "$ko" ;;
  esac || echo "GUEST insmod $ko failed"
done < /etc/modules
mount -t configfs none /sys/kernel/config
insmod /lib/modules/$KVER/extra/irq_sim.ko && insmod /lib/modules/$KVER/extra/gpio-sim.ko
C=/sys/kernel/config/gpio-sim/edgecnn
mkdir $C $C/bank0 && echo 8 > $C/bank0/num_lines && echo edgecnn-sim > $C/bank0/label && echo 1 > $C/live
CHIP=$(cat $C/bank0/chip_name)
echo "GUEST kernel $KVER, camera $(cat /sys/class/video4linux/video0/name 2>/dev/null), gpio-sim $CHIP"
[ -c /dev/video0 ] && [ -c "/dev/$CHIP" ]; check $? "vivid /dev/video0 and gpio-sim /dev/$CHIP present"
VALUE=$(ls -d /sys/devices/platform/gpio-sim.*/"$CHIP"/sim_gpio3 2>/dev/null)/value

# The built-in pattern classifier reads vivid's vertical colour bars as vertical stripes (score ~0.48 of 3 classes): that
# class drives line 3.
cat > /tmp/edgecnn.json <<JSON
{
  "model": "builtin:patterns",
  "source": { "type": "v4l2", "device": "/dev/video0", "pixelFormat": "YUYV", "width": 640, "height": 480, "fps": 25, "buffers": 4 },
  "postprocess": { "type": "classifier", "topK": 1 },
  "rules": [ { "label": "vertical-stripes", "minScore": 0.4, "gpio": { "chip": "/dev/$CHIP", "line": 3 }, "debounceMs": 100, "minHoldMs": 500 } ],
  "output": { "jsonLines": "/tmp/out.jsonl" },
  "warmupFrames": 10
}
JSON
/app/edgecnn-run check-config /tmp/edgecnn.json > /tmp/check.txt 2>&1; check $? "check-config accepts the VM config"
/app/edgecnn-run run --config /tmp/edgecnn.json 2> /tmp/err.txt &
PID=$!
start=$(uptime_ms)
while [ "$(frames)" -lt 25 ] && [ $(( $(uptime_ms) - start )) -lt 60000 ] && kill -0 $PID 2>/dev/null; do sleep 0.2; done
n=$(frames)
[ "$n" -ge 25 ]; check $? "25 frames captured from /dev/video0 (YUYV) and classified in $(( $(uptime_ms) - start )) ms ($n frame lines)"
grep -q '"event":"started".*"format":"YUYV 640x480 stride 1280"' /tmp/out.jsonl; check $? "the format the driver chose (YUYV 640x480, stride 1280) is reported"
grep -q '"top":\[{"label":"vertical-stripes"' /tmp/out.jsonl; check $? "frames classified as vertical-stripes (vivid colour bars)"
echo "JSONL $(grep '^{"frame"' /tmp/out.jsonl | tail -n 1)"
v=$(cat "$VALUE" 2>/dev/null)
[ "$v" = 1 ]; check $? "rule drove gpio-sim line 3 high (sim_gpio3/value=$v)"
grep -q '"event":"line".*"line":3,"value":1' /tmp/out.jsonl; check $? "line event written to the JSON lines"

# Unplug: unbind the vivid platform device mid-stream, wait, bind it again.
before=$(frames)
echo vivid.0 > /sys/bus/platform/drivers/vivid/unbind
sleep 1
lost=$(cat /tmp/out.jsonl | grep -c '"event":"camera-lost"')
[ "$lost" -ge 1 ]; check $? "camera loss reported after unbind ($(grep '"event":"camera-lost"' /tmp/out.jsonl | head -n 1))"
bind_at=$(uptime_ms)
echo vivid.0 > /sys/bus/platform/drivers/vivid/bind
after=$before
while [ $(( $(uptime_ms) - bind_at )) -lt 10000 ]; do
  if grep -q '"event":"camera-reconnected"' /tmp/out.jsonl; then
    after=$(frames)
    [ "$after" -gt "$before" ] && break
  fi
  sleep 0.05
done
recovered_ms=$(( $(uptime_ms) - bind_at ))
[ "$after" -gt "$before" ] && [ "$recovered_ms" -le 3000 ]; check $? "frames flow again ${recovered_ms} ms after bind (limit 3000 ms; $before -> $after frame lines)"
kill -0 $PID 2>/dev/null; check $? "same process (pid $PID) kept running through the unplug"
sleep 1
[ "$(frames)" -gt "$after" ]; check $? "capture continues after recovery ($(frames) frame lines)"

# Ask for a size the webcam input does not have: S_FMT answers with one it has, and the app uses what the driver chose.
sed -e 's/"width": 640, "height": 480/"width": 800, "height": 600/' -e 's|/tmp/out.jsonl|/tmp/odd.jsonl|' -e 's/"rules": \[.*\],/"rules": [],/' /tmp/edgecnn.json > /tmp/odd.json
# (the first app still holds the camera: V4L2 allows one streaming owner, so wait for it to stop below)
# Driver errors: three buffers flagged V4L2_BUF_FLAG_ERROR are dropped and requeued; then a fatal streaming error (vb2's
# error state: every DQBUF fails with EIO) makes the app restart the stream through its reconnect path.
before=$(frames)
for i in 1 2 3; do /app/vivid-inject /dev/video0 "Inject V4L2_BUF_FLAG_ERROR"; sleep 0.3; done
sleep 0.5
[ "$(frames)" -gt "$before" ]; check $? "frames keep flowing while buffers are flagged with errors ($before -> $(frames) frame lines)"
reconnected=$(cat /tmp/out.jsonl | grep -c '"event":"camera-reconnected"')
/app/vivid-inject /dev/video0 "Inject Fatal Streaming Error"
at=$(uptime_ms)
while [ "$(cat /tmp/out.jsonl | grep -c '"event":"camera-reconnected"')" -le "$reconnected" ] && [ $(( $(uptime_ms) - at )) -lt 10000 ]; do sleep 0.05; done
grep -q '"event":"camera-lost".*"errno":5' /tmp/out.jsonl; check $? "a fatal streaming error is seen as EIO ($(grep '"errno":5' /tmp/out.jsonl | head -n 1))"
n=$(frames); sleep 1
[ "$(frames)" -gt "$n" ]; check $? "the stream restarted $(( $(uptime_ms) - at - 1000 )) ms after the fatal error and frames flow ($n -> $(frames))"

# Stop as systemd would: SIGTERM. The app drives its lines inactive, releases them and prints its summary.
kill -TERM $PID
i=0; while kill -0 $PID 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
wait $PID; rc=$?
[ "$rc" = 0 ]; check $? "exit code 0 after SIGTERM (got $rc)"
v=$(cat "$VALUE" 2>/dev/null)
[ "$v" = 0 ]; check $? "line 3 low again after shutdown (sim_gpio3/value=$v)"
echo "SUMMARY $(grep summary /tmp/err.txt)"
stopped=$(grep '"event":"stopped"' /tmp/out.jsonl)
errors=$(echo "$stopped" | sed -n 's/.*"errorFrames":\([0-9]*\).*/\1/p')
reconnects=$(echo "$stopped" | sed -n 's/.*"reconnects":\([0-9]*\).*/\1/p')
[ "${errors:-0}" -ge 3 ] && [ "${reconnects:-0}" -ge 2 ]; check $? "the 3 flagged buffers counted as error frames, unplug and fatal error as reconnects ($stopped)"
/app/edgecnn-run run --config /tmp/odd.json --frames 5 2> /tmp/odd-err.txt; rc=$?
started=$(grep '"event":"started"' /tmp/odd.jsonl)
echo "$started" | grep -q '"format":"YUYV 640x480\|"format":"YUYV 1280x720'; ok=$?
[ "$rc" = 0 ] && [ "$ok" = 0 ] && [ "$(cat /tmp/odd.jsonl | grep -c '^{"frame"')" = 5 ]
check $? "800x600 requested, the driver's choice used for 5 frames ($(echo "$started" | grep -o '"format":"[^"]*"'))"
# The other uncompressed formats vivid offers, from the real driver (plane layout, strides): the same colour bars must
# classify the same way.
for fmt in NV12 GREY RGB24 BGR24; do
  sed -e "s/\"pixelFormat\": \"YUYV\"/\"pixelFormat\": \"$fmt\"/" -e "s|/tmp/out.jsonl|/tmp/$fmt.jsonl|" -e 's/"rules": \[.*\],/"rules": [],/' /tmp/edgecnn.json > /tmp/$fmt.json
  /app/edgecnn-run run --config /tmp/$fmt.json --frames 5 2> /tmp/$fmt-err.txt; rc=$?
  format=$(grep -o '"format":"[^"]*"' /tmp/$fmt.jsonl)
  top=$(grep '^{"frame"' /tmp/$fmt.jsonl | tail -n 1 | grep -o '"top":\[{"label":"[^"]*","score":[0-9.]*')
  [ "$rc" = 0 ] && echo "$top" | grep -q 'vertical-stripes'; check $? "$fmt capture: $format, $top"
done
grep -v '^edgecnn-run: summary' /tmp/err.txt | sed 's/^/GUEST stderr: /' | head -n 5
finish
