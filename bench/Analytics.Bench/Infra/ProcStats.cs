using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>Figures of a process and of the machine from /proc (Linux; clock ticks of 1/100 s).</summary>
public static class ProcStats
{
    public const double TicksPerSecond = 100;

    /// <summary>CPU seconds (user + system) the process has used so far, from /proc/PID/stat.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return (fields[Utime] + fields[Stime]) / TicksPerSecond;
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
            $"CPU {UserSeconds * 1000:N0} ms user + {SystemSeconds * 1000:N0} ms kernel, {MinorFaults:N0} minor and {MajorFaults:N0} major page faults" +
            (MinorFaults > 0 ? $" (kernel CPU ÷ minor faults: {SystemSeconds * 1e6 / MinorFaults:N1} µs), " : ", ") +
            (ReadBytes is { } read ? $"{read / 1048576.0:N1} MiB read from storage" : "storage reads not exposed");
    }

    /// <summary>The process's <see cref="Counters"/> from /proc/PID/stat and /proc/PID/io.</summary>
    public static Counters CountersOf(int pid)
    {
        var fields = StatFields(pid);
        return new Counters(fields[Utime] / TicksPerSecond, fields[Stime] / TicksPerSecond, fields[Minflt], fields[Majflt], IoField(pid, "read_bytes:"));
    }

    // Fields of /proc/PID/stat counted after "pid (comm) ": state is 0 (the whole line's field 3).
    private const int Minflt = 7;
    private const int Majflt = 9;
    private const int Utime = 11;
    private const int Stime = 12;

    /// <summary>The numeric fields of /proc/PID/stat after "pid (comm) " (a comm may hold spaces and parentheses); 0 for the state letter.</summary>
    private static long[] StatFields(int pid) =>
        Parse(File.ReadAllText($"/proc/{pid}/stat"))?.Fields ?? throw new InvalidDataException($"/proc/{pid}/stat is cut short");

    /// <summary>
    /// A stat line's comm (between the first "(" and the last ")") and its numeric fields after it (0 for the state
    /// letter); null when the line is cut short.
    /// </summary>
    private static (string Comm, long[] Fields)? Parse(string stat)
    {
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 > stat.Length)
        {
            return null;
        }

        long[] fields = [.. stat[(close + 2)..].Split(' ').Select(f => long.TryParse(f, CultureInfo.InvariantCulture, out var n) ? n : 0)];
        return fields.Length > Stime ? (stat[(open + 1)..close], fields) : null;
    }

    /// <summary>
    /// CPU ticks (user + system) each thread of the process has used so far, by thread id, with its name (the kernel's
    /// comm, at most 15 characters). A thread that ends between the listing and its read is left out.
    /// </summary>
    public static Dictionary<int, (string Name, long Ticks)> ThreadTicks(int pid)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var tid)
                    && Parse(File.ReadAllText(Path.Combine(task, "stat"))) is { } stat)
                {
                    threads[tid] = (stat.Comm, stat.Fields[Utime] + stat.Fields[Stime]);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended after the listing.
            }
        }

        return threads;
    }

    /// <summary>The ticks of /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal ... (0 where a kernel has fewer).</summary>
    private static long[] MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return [.. cpu.Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).Concat(Enumerable.Repeat(0L, 8))];
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
        var ticks = MachineTicks();
        // user nice system irq softirq steal (guest time is already inside user).
        var busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
        return busy / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds the machine's cores have spent waiting for storage (iowait) and taken by the hypervisor for other
    /// guests (steal), from /proc/stat.
    /// </summary>
    public static (double IoWait, double Steal) MachineWaitSeconds()
    {
        var ticks = MachineTicks();
        return (ticks[4] / TicksPerSecond, ticks[7] / TicksPerSecond);
    }
}
