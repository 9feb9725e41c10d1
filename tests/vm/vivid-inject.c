// vivid-inject: presses one of vivid's error-injection button controls by name (vivid loaded with no_error_inj=0),
// for the VM test of the app's drop-and-requeue and fatal-stream-error paths.
// usage: vivid-inject /dev/video0 "Inject V4L2_BUF_FLAG_ERROR"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/videodev2.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s DEVICE CONTROL-NAME\n", argv[0]); return 2; }
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) { fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno)); return 1; }
    struct v4l2_queryctrl q = { .id = V4L2_CTRL_FLAG_NEXT_CTRL };
    while (ioctl(fd, VIDIOC_QUERYCTRL, &q) == 0) {
        if (strcmp((const char *)q.name, argv[2]) == 0) {
            struct v4l2_control c = { .id = q.id, .value = 1 };
            if (ioctl(fd, VIDIOC_S_CTRL, &c) < 0) { fprintf(stderr, "S_CTRL %s: %s\n", argv[2], strerror(errno)); return 1; }
            close(fd);
            return 0;
        }
        q.id |= V4L2_CTRL_FLAG_NEXT_CTRL;
    }
    fprintf(stderr, "%s has no control named '%s'\n", argv[1], argv[2]);
    return 1;
}
