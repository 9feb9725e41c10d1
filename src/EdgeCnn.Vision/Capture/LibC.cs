using System.Runtime.InteropServices;

namespace EdgeCnn.Vision.Capture;

/// <summary>libc calls for V4L2 capture. Blittable signatures only: AOT-safe, no marshalling stubs, no allocation.</summary>
internal static unsafe partial class LibC
{
    public const int ORdWr = 0x2;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x1;
    public const short PollIn = 0x1;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EIo = 5;
    public const int ENxIo = 6;
    public const int EAgain = 11;
    public const int ENoDev = 19;
    public const int EInval = 22;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>ioctl retried on EINTR; returns 0 or the errno.</summary>
    public static int Xioctl(int fd, nuint request, void* argument)
    {
        while (true)
        {
            if (Ioctl(fd, request, argument) >= 0)
            {
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                return errno;
            }
        }
    }

    public static string ErrorText(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";

    /// <summary>errno values that mean the device is gone (unplugged, driver unbound): close, back off, reopen.</summary>
    public static bool IsDisconnect(int errno) => errno is ENoDev or ENxIo or ENoEnt;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short REvents;
}
