using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>Figures of a process and of the machine from /proc (Linux; clock ticks of 1/100 s).</summary>
public static class ProcStats
{
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds (user + system) the process has used so far, from /proc/PID/stat.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// What a process has cost so far: CPU seconds in user and kernel mode, page faults (minor: memory the kernel maps or
    /// zeroes; major: read from storage) and the bytes it caused to be read from storage (/proc/PID/io read_bytes; null
    /// where the kernel hides it).
    /// </summary>
    public sealed record Counters(double UserSeconds, double SystemSeconds, long MinorFaults, long MajorFaults, long? ReadBytes)
    {
        public Counters Minus(Counters before) => new(
            UserSeconds - before.UserSeconds, SystemSeconds - before.SystemSeconds, MinorFaults - before.MinorFaults,
            MajorFaults - before.MajorFaults, ReadBytes - before.ReadBytes);

        public string Describe() =>
            $"CPU {UserSeconds * 1000:N0} ms user + {SystemSeconds * 1000:N0} ms kernel, {MinorFaults:N0} minor and {MajorFaults:N0} major page faults, " +
            (ReadBytes is { } read ? $"{read / 1048576.0:N1} MiB read from storage" : "storage reads not exposed");
    }

    /// <summary>The process's <see cref="Counters"/> from /proc/PID/stat and /proc/PID/io.</summary>
    public static Counters CountersOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        // After "pid (comm) ": minflt 7, majflt 9, utime 11, stime 12.
        return new Counters(Field(11) / TicksPerSecond, Field(12) / TicksPerSecond, Field(7), Field(9), IoField(pid, "read_bytes:"));
    }

    /// <summary>A kB line of /proc/PID/status (VmRSS:, VmHWM:) in bytes; 0 when absent.</summary>
    public static long StatusBytes(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Bytes the process caused to be written to storage (/proc/PID/io write_bytes); null where the kernel hides it.</summary>
    public static long? WrittenBytes(int pid) => IoField(pid, "write_bytes:");

    private static long? IoField(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/io").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[key.Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds the whole machine has been busy (all cores, everything but idle and iowait), from /proc/stat.</summary>
    public static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = cpu.Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        var busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + (ticks.Length > 7 ? ticks[7] : 0);
        return busy / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds the machine's cores have spent waiting for storage (iowait) and taken by the hypervisor for other
    /// guests (steal), from /proc/stat.
    /// </summary>
    public static (double IoWait, double Steal) MachineWaitSeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Ticks(int i) => cpu.Length > i ? long.Parse(cpu[i], CultureInfo.InvariantCulture) : 0;
        return (Ticks(5) / TicksPerSecond, Ticks(8) / TicksPerSecond);
    }
}
