using System.Runtime.InteropServices;

namespace EdgeCnn.Device.Native;

/// <summary>The few libc calls the GPIO character device needs. Blittable signatures: AOT-safe, no marshalling stubs.</summary>
internal static unsafe partial class LibC
{
    public const int ORdWr = 0x2;
    public const int OCloExec = 0x80000;
    public const int EIntr = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    /// <summary>ioctl, retried when a signal interrupts it.</summary>
    public static int IoctlRetry(int fd, nuint request, void* argument, out int errno)
    {
        int r;
        do
        {
            r = Ioctl(fd, request, argument);
            errno = r < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (r < 0 && errno == EIntr);
        return r;
    }

    public static string ErrorText(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
