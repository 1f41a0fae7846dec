using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Analytics.Grains.Segments;

/// <summary>
/// An immutable columnar segment: one site's sessions that started on one UTC day and all their events, strings
/// dictionary-encoded, numbers fixed-width; written as compressed Arrow IPC, readable with pyarrow, DuckDB or Polars.
/// </summary>
public sealed class Segment
{
    /// <summary>Schema metadata of the events table naming the segment ("site|yyyy-MM-dd").</summary>
    public const string KeyMetadata = "segment_key";

    private const string ProducerColumn = "producer";
    private const string SequenceColumn = "sequence";

    private static readonly Schema ProducerSchema = new(
        [ArrowColumns.Field(ProducerColumn, UInt64Type.Default), ArrowColumns.Field(SequenceColumn, Int64Type.Default)],
        null);

    private static long _instances;

    private readonly ConcurrentDictionary<string, int[]> _propCodes = new(StringComparer.Ordinal);
    private readonly Lazy<(int[] OfEvent, bool Grouped)> _sessionIndex;
    private readonly Lazy<(int[] OfEvent, ulong[] Hashes)> _visitorIds;
    private readonly Lazy<bool> _oneVisitorPerSession;

    private readonly DeferredBuffers? _buffers;

    private Segment(SegmentKey key, EventTable events, SessionTable sessions, PropsTable props, IReadOnlyDictionary<ulong, long> producers, DeferredBuffers? buffers = null)
    {
        _buffers = buffers;
        Key = key;
        Events = events;
        Sessions = sessions;
        Props = props;
        Producers = producers;
        _sessionIndex = new Lazy<(int[], bool)>(IndexSessions);
        _visitorIds = new Lazy<(int[], ulong[])>(IndexVisitors);
        _oneVisitorPerSession = new Lazy<bool>(() => OneVisitorEach(SessionOfEvent, VisitorIds.OfEvent));
    }

    public SegmentKey Key { get; }

    /// <summary>
    /// Unique to this object in this process: two decodings of the same bytes are two instances, a segment replaced
    /// (re-aggregated, reopened) is always another. What cached partials are keyed by (<see cref="SegmentPartialCache"/>).
    /// </summary>
    public long Instance { get; } = Interlocked.Increment(ref _instances);

    public int EventCount => Events.Count;

    public int SessionCount => Sessions.Count;

    internal EventTable Events { get; }

    internal SessionTable Sessions { get; }

    internal PropsTable Props { get; }

    /// <summary>The highest sequence applied per producer.</summary>
    internal IReadOnlyDictionary<ulong, long> Producers { get; }

    /// <summary>Whether each session's events are adjacent (ordered by session id), as <see cref="SegmentBuilder"/> writes them.</summary>
    internal bool EventsGroupedBySession => _sessionIndex.Value.Grouped;

    /// <summary>Buffers of a read segment no question has needed yet (<see cref="DeferredBuffers"/>).</summary>
    internal int UnfilledBuffers => _buffers?.Unfilled ?? 0;

    /// <summary>
    /// Whether the events of each of this segment's sessions carry one visitor (the lanes key sessions by visitor),
    /// checked once; events without a session here are not concerned.
    /// </summary>
    internal bool OneVisitorPerSession => _oneVisitorPerSession.Value;

    /// <summary>Per event, the row of its session in <see cref="Sessions"/>; -1 when it has none here.</summary>
    /// <remarks>
    /// This index and the visitor index are what scans read of the events' and sessions' 8-byte ids (a funnel aside): the
    /// ids are decompressed for the indexing only (<see cref="ColumnValues{T}"/>). Kept filled, they were over a quarter
    /// of the memory a question over a month touched for the first time after a restart, each page of it a fault.
    /// </remarks>
    internal int[] SessionOfEvent => _sessionIndex.Value.OfEvent;

    /// <summary>
    /// The distinct visitors (their hashes) and per event the index of its visitor among them, made once per segment:
    /// distinct visitors per group are counted on these small dense ids (<see cref="VisitorsByGroup"/>).
    /// </summary>
    internal (int[] OfEvent, ulong[] Hashes) VisitorIds => _visitorIds.Value;

    internal static Segment Of(SegmentKey key, EventTable events, SessionTable sessions, PropsTable props, IReadOnlyDictionary<ulong, long> producers) =>
        new(key, events, sessions, props, new Dictionary<ulong, long>(producers));

    public static Segment Read(ReadOnlyMemory<byte> ipc)
    {
        var buffers = new DeferredBuffers(NativeZstdCodecs.Preferred);
        var tables = SegmentArchive.Read(ipc, buffers);
        var events = tables[SegmentArchive.Events];
        var key = SegmentKey.Parse(events.Schema.Metadata[KeyMetadata]);
        var producerBatch = tables[SegmentArchive.Producers];
        buffers.Fill(producerBatch.Column(ProducerColumn));
        buffers.Fill(producerBatch.Column(SequenceColumn));
        var ids = ((UInt64Array)producerBatch.Column(ProducerColumn)).Values;
        var sequences = ((Int64Array)producerBatch.Column(SequenceColumn)).Values;
        var producers = new Dictionary<ulong, long>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            producers[ids[i]] = sequences[i];
        }

        return new Segment(key, new EventTable(events, buffers: buffers), new SessionTable(tables[SegmentArchive.Sessions], buffers: buffers),
            new PropsTable(tables[SegmentArchive.Props], buffers: buffers), producers, buffers);
    }

    /// <summary>The segment as compressed Arrow IPC (what sealing stores).</summary>
    public byte[] Write()
    {
        var producerIds = Producers.Keys.ToArray();
        var producerSequences = producerIds.Select(p => Producers[p]).ToArray();
        var producers = new RecordBatch(ProducerSchema, [ArrowColumns.UInt64(producerIds), ArrowColumns.Int64(producerSequences)], producerIds.Length);
        return SegmentArchive.Write(
        [
            (SegmentArchive.Events, Events.Batch),
            (SegmentArchive.Sessions, Sessions.Batch),
            (SegmentArchive.Props, Props.Batch),
            (SegmentArchive.Producers, producers),
        ]);
    }

    /// <summary>The query's partial aggregates over this segment's rows that lie in the query's range.</summary>
    public SegmentPartial Scan(StatsQuery query)
    {
        var partial = GoalBreakdown.Applies(query) ? GoalBreakdown.Scan(this, query) : new SegmentScanner(this, query).Run();
        // A read segment's columns are native memory, freed by a finalizer once nothing references them: the spans a
        // scan reads do not hold them, so the segment must outlive its scan even when its caller has let go of it.
        GC.KeepAlive(this);
        return partial;
    }

    /// <summary>The funnel of the query's goals over this segment's visits (<see cref="FunnelScanner"/>).</summary>
    public FunnelPartial Funnel(StatsQuery query)
    {
        var funnel = FunnelScanner.Scan(this, query);
        GC.KeepAlive(this); // as in Scan
        return funnel;
    }

    /// <summary>Per event, the value codes of property <paramref name="key"/> (cached: a segment never changes).</summary>
    internal int[] PropCodes(string key) => _propCodes.GetOrAdd(key, k => Props.CodesFor(k, EventCount));

    /// <summary>
    /// An open-addressing table from session id to row (session ids are unique here and never 0), optimized from its
    /// first call: a <c>Dictionary&lt;ulong, int&gt;</c> ran unoptimized for the first questions after a restart (its
    /// instantiation is not precompiled), 3 % of a cold question's samples.
    /// </summary>
    /// <remarks>Also tells whether the events are ordered by session id (<see cref="EventsGroupedBySession"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int[] OfEvent, bool Grouped) IndexSessions()
    {
        using var idValues = Sessions.ReadIds();
        var ids = idValues.Span;
        using var index = new IdIndex(ids.Length);
        for (var j = 0; j < ids.Length; j++)
        {
            index.TryAdd(ids[j], j, out _);
        }

        using var sessionValues = Events.ReadSessions();
        var sessions = sessionValues.Span;
        var result = GC.AllocateUninitializedArray<int>(sessions.Length); // every entry written below
        var previous = 0UL;
        var previousRow = -1;
        var grouped = true;
        for (var i = 0; i < sessions.Length; i++)
        {
            var id = sessions[i];
            if (id != previous)
            {
                grouped &= id > previous;
                previous = id;
                previousRow = id != 0 && index.TryGet(id, out var row) ? row : -1;
            }

            result[i] = previousRow;
        }

        return (result, grouped);
    }

    /// <summary>Whether adjacent events of one of this segment's sessions never differ in visitor (by their dense ids).</summary>
    private static bool OneVisitorEach(ReadOnlySpan<int> sessionOf, ReadOnlySpan<int> visitors)
    {
        for (var i = 1; i < sessionOf.Length; i++)
        {
            if (sessionOf[i] >= 0 && sessionOf[i] == sessionOf[i - 1] && visitors[i] != visitors[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Numbers the distinct visitors in order of first event (hash 0, the index's empty key, is kept apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int[] OfEvent, ulong[] Hashes) IndexVisitors()
    {
        using var visitorValues = Events.ReadVisitors();
        var visitors = visitorValues.Span;
        // Each distinct visitor starts at least one run of equal ids, so the runs bound them in any order; with a
        // session's events adjacent they are a fraction of the events: the table and the hashes sized by them are
        // that much smaller, less to clear and to touch.
        var runs = visitors.IsEmpty ? 0 : 1;
        for (var i = 1; i < visitors.Length; i++)
        {
            runs += visitors[i] != visitors[i - 1] ? 1 : 0;
        }

        using var index = new IdIndex(runs);
        var hashes = ArrayPool<ulong>.Shared.Rent(Math.Max(1, runs));
        try
        {
            var ofEvent = GC.AllocateUninitializedArray<int>(visitors.Length); // every entry written below
            var distinct = 0;
            var zero = -1;
            for (var i = 0; i < visitors.Length; i++)
            {
                var visitor = visitors[i];
                // A session's events are adjacent, and a session has one visitor.
                if (i > 0 && visitor == visitors[i - 1])
                {
                    ofEvent[i] = ofEvent[i - 1];
                    continue;
                }

                if (visitor == 0)
                {
                    if (zero < 0)
                    {
                        zero = distinct;
                        hashes[distinct++] = 0;
                    }

                    ofEvent[i] = zero;
                    continue;
                }

                if (index.TryAdd(visitor, distinct, out var known))
                {
                    hashes[distinct] = visitor;
                    known = distinct++;
                }

                ofEvent[i] = known;
            }

            return (ofEvent, hashes.AsSpan(0, distinct).ToArray());
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }

    /// <summary>
    /// An open-addressing table from non-zero ids to ints (linear probing, at most half full), in pooled arrays given
    /// back on <see cref="Dispose"/>: what the session and visitor indexes are built on.
    /// </summary>
    private readonly struct IdIndex : IDisposable
    {
        private readonly ulong[] _keys;
        private readonly int[] _values;
        private readonly int _shift;
        private readonly int _mask;

        public IdIndex(int entries)
        {
            var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, entries * 2));
            _shift = 64 - BitOperations.Log2((uint)capacity);
            _mask = capacity - 1;
            _keys = ArrayPool<ulong>.Shared.Rent(capacity);
            _values = ArrayPool<int>.Shared.Rent(capacity);
            _keys.AsSpan(0, capacity).Clear();
        }

        /// <summary>Adds <paramref name="id"/> → <paramref name="value"/>; false, with the value it has, when it was there.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // part of the indexes' optimized loops
        public bool TryAdd(ulong id, int value, out int existing)
        {
            var slot = SlotOf(id);
            if (_keys[slot] == id)
            {
                existing = _values[slot];
                return false;
            }

            _keys[slot] = id;
            _values[slot] = value;
            existing = value;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryGet(ulong id, out int value)
        {
            var slot = SlotOf(id);
            value = _values[slot];
            return _keys[slot] == id;
        }

        public void Dispose()
        {
            ArrayPool<ulong>.Shared.Return(_keys);
            ArrayPool<int>.Shared.Return(_values);
        }

        /// <summary>The slot holding <paramref name="id"/>, or the empty one where it would go.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int SlotOf(ulong id)
        {
            var slot = FibonacciHash.Slot(id, _shift);
            while (_keys[slot] != 0 && _keys[slot] != id)
            {
                slot = (slot + 1) & _mask;
            }

            return slot;
        }
    }
}
