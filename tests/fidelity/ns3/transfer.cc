// transfer.cc -- the ns-3 half of tests/fidelity: one bulk transfer between two nodes,
// with the settings tcpsim's fidelity scenarios use, random loss in both directions and
// scripted drops of chosen packets, and figures defined as tcpsim's summary defines them.
//
// Written against Debian's ns-3 3.37 (libns3-dev) and its documented API. tests/fidelity/run
// builds it (the libraries are named directly: Debian's ns3-core.pc names libgsl, which
// libns3-dev does not pull in).
//
// The path: n0 (sender) -- point-to-point link -- n1 (sink). Rate, one-way delay, MTU 1500,
// a drop-tail device queue of --queue packets and no traffic-control queue disc, so the device
// queue is the only queue, as tcpsim's link has one. TCP: MSS 1460, initial window 10 segments,
// delayed ACK every 2 segments or 200 ms, minimum RTO 1 s, 4 MiB send and receive buffers,
// window scaling, no timestamps; NewReno with classic recovery unless --sack, --recovery=prr
// or --cc=cubic say otherwise. (Nagle: ns-3's BulkSend writes whole segments, 1460 bytes per
// write, so Nagle never holds a segment; TcpNoDelay is set anyway, as the scenarios say
// nagle: false.)
//
// Loss: --loss=P drops each packet with probability P on arrival at either node (a
// RateErrorModel per device, streams 100 and 101 as /work/shared/bench/ns3/bulk.cc assigns
// them, so the same seed and run lose the same packets as that program). --drop=N,M,...
// drops the Nth, Mth ... packet that arrives at the sink from the sender, counting every
// packet of that direction from the SYN (packet 1) on, which is how a tcpsim scenario's
// link a_to_b drop list counts. The two cannot be combined.
//
// Figures (one "key value" line each):
//   transfer_time_s    from the SYN (t = 0) to the arrival at the sender of the first ACK
//                      that covers the last data byte: tcpsim's transfer_time_s
//   goodput_mbps       bytes * 8 / transfer_time_s: tcpsim's transfer_goodput_mbps
//   sim_completion_s   when the sink has every byte (what bulk.cc reports)
//   retx_segs          data segments sent whose first byte lies below the highest byte sent
//                      before: tcpsim's data_retransmissions
//   fast_recovery_eps  entries into CA_RECOVERY (tcpsim: fast_retransmits)
//   rto_eps            entries into CA_LOSS (tcpsim: rto_timeouts)
// With --log=1 also one line per data segment the sender hands to IP and per scripted drop:
//   tx TIME SEQ LEN new|retx        drop TIME SEQ LEN packet N      ack TIME ACK
//   cwnd TIME BYTES                 ssthresh TIME BYTES
// (tx when the sender hands the segment to IP, drop when it reaches the sink, ack when an
// ACK reaches the sender, cwnd and ssthresh when the sender changes them).
// SEQ is relative: ns-3's initial sequence number is 0, so the first data byte is 1, as in
// Wireshark's relative sequence numbers.

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cinttypes>
#include <cstdio>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{

uint64_t g_bytes = 0;
bool g_log = false;

Time g_sinkDone;        // the sink has all bytes
bool g_sinkHasAll = false;
Time g_ackedDone;       // the sender has the ACK of the last byte
bool g_senderAcked = false;

uint64_t g_segs = 0;
uint64_t g_retx = 0;
uint64_t g_recoveries = 0;
uint64_t g_timeouts = 0;
uint64_t g_scriptDrops = 0;
bool g_sentAny = false;
SequenceNumber32 g_highest; // one past the highest byte sent so far

// Drops the packets whose numbers are listed, counting each packet that reaches the device
// it is installed on. The PPP, IPv4 and TCP headers are read from a copy to log the segment.
class PacketNumberErrorModel : public ErrorModel
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("PacketNumberErrorModel")
                                .SetParent<ErrorModel>()
                                .AddConstructor<PacketNumberErrorModel>();
        return tid;
    }

    std::set<uint64_t> m_numbers;

  private:
    uint64_t m_count = 0;

    bool DoCorrupt(Ptr<Packet> p) override
    {
        m_count++;
        if (m_numbers.count(m_count) == 0)
        {
            return false;
        }
        g_scriptDrops++;
        if (g_log)
        {
            Ptr<Packet> c = p->Copy();
            PppHeader ppp;
            Ipv4Header ip;
            TcpHeader tcp;
            c->RemoveHeader(ppp);
            c->RemoveHeader(ip);
            c->RemoveHeader(tcp);
            printf("drop %.9f %u %u packet %" PRIu64 "\n", Simulator::Now().GetSeconds(),
                   tcp.GetSequenceNumber().GetValue(), c->GetSize(), m_count);
        }
        return true;
    }

    void DoReset() override
    {
        m_count = 0;
    }
};

void
SinkRx(Ptr<const Packet> p, const Address&)
{
    static uint64_t got = 0;
    got += p->GetSize();
    if (!g_sinkHasAll && got >= g_bytes)
    {
        g_sinkHasAll = true;
        g_sinkDone = Simulator::Now();
    }
}

void
HighestAck(SequenceNumber32, SequenceNumber32 ack)
{
    // Data bytes are 1 .. N: the ACK of the last one is N + 1.
    if (!g_senderAcked && ack.GetValue() >= g_bytes + 1)
    {
        g_senderAcked = true;
        g_ackedDone = Simulator::Now();
        Simulator::Stop();
    }
}

void
SenderTx(Ptr<const Packet> p, const TcpHeader& h, Ptr<const TcpSocketBase>)
{
    uint32_t len = p->GetSize();
    if (len == 0)
    {
        return;
    }
    SequenceNumber32 seq = h.GetSequenceNumber();
    bool retx = g_sentAny && seq < g_highest;
    g_segs++;
    if (retx)
    {
        g_retx++;
    }
    if (!g_sentAny || seq + SequenceNumber32(len) > g_highest)
    {
        g_highest = seq + SequenceNumber32(len);
        g_sentAny = true;
    }
    if (g_log)
    {
        printf("tx %.9f %u %u %s\n", Simulator::Now().GetSeconds(), seq.GetValue(), len,
               retx ? "retx" : "new");
    }
}

void
SenderRx(Ptr<const Packet> p, const TcpHeader& h, Ptr<const TcpSocketBase>)
{
    if (g_log && (h.GetFlags() & TcpHeader::ACK))
    {
        printf("ack %.9f %u\n", Simulator::Now().GetSeconds(), h.GetAckNumber().GetValue());
    }
}

void
Cwnd(uint32_t, uint32_t now)
{
    if (g_log)
    {
        printf("cwnd %.9f %u\n", Simulator::Now().GetSeconds(), now);
    }
}

void
Ssthresh(uint32_t, uint32_t now)
{
    if (g_log)
    {
        printf("ssthresh %.9f %u\n", Simulator::Now().GetSeconds(), now);
    }
}

void
CongState(TcpSocketState::TcpCongState_t, TcpSocketState::TcpCongState_t now)
{
    if (now == TcpSocketState::CA_RECOVERY)
    {
        g_recoveries++;
    }
    else if (now == TcpSocketState::CA_LOSS)
    {
        g_timeouts++;
    }
}

void
HookSender(Ptr<BulkSendApplication> app)
{
    Ptr<TcpSocketBase> s = DynamicCast<TcpSocketBase>(app->GetSocket());
    NS_ABORT_MSG_IF(!s, "the sender's socket is not a TcpSocketBase");
    bool ok = s->TraceConnectWithoutContext("Tx", MakeCallback(&SenderTx));
    ok &= s->TraceConnectWithoutContext("Rx", MakeCallback(&SenderRx));
    ok &= s->TraceConnectWithoutContext("CongestionWindow", MakeCallback(&Cwnd));
    ok &= s->TraceConnectWithoutContext("SlowStartThreshold", MakeCallback(&Ssthresh));
    ok &= s->TraceConnectWithoutContext("CongState", MakeCallback(&CongState));
    ok &= s->TraceConnectWithoutContext("HighestRxAck", MakeCallback(&HighestAck));
    NS_ABORT_MSG_UNLESS(ok, "a sender trace source is missing");
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string rate = "10Mbps";
    std::string delay = "25ms";
    uint32_t queue = 100;
    double loss = 0.0;
    std::string drop;
    uint64_t bytes = 1000000;
    bool sack = false;
    std::string recovery = "classic";
    std::string cc = "newreno";
    uint32_t seed = 1;
    uint64_t run = 1;
    double stopTime = 100000.0;

    CommandLine cmd(__FILE__);
    cmd.AddValue("rate", "link rate, both directions", rate);
    cmd.AddValue("delay", "one-way propagation delay", delay);
    cmd.AddValue("queue", "drop-tail device queue (packets)", queue);
    cmd.AddValue("loss", "probability a packet is lost, each direction", loss);
    cmd.AddValue("drop", "packet numbers (sender to sink, SYN = 1) to drop: N,M,...", drop);
    cmd.AddValue("bytes", "bytes to transfer", bytes);
    cmd.AddValue("sack", "SACK (RFC 2018) on both hosts", sack);
    cmd.AddValue("recovery", "classic | prr", recovery);
    cmd.AddValue("cc", "newreno | cubic", cc);
    cmd.AddValue("seed", "RngSeedManager seed", seed);
    cmd.AddValue("run", "RngSeedManager run", run);
    cmd.AddValue("log", "print every data segment sent and every scripted drop", g_log);
    cmd.AddValue("stopTime", "give up after this many simulated seconds", stopTime);
    cmd.Parse(argc, argv);
    NS_ABORT_MSG_IF(loss > 0 && !drop.empty(), "--loss and --drop cannot be combined");
    g_bytes = bytes;

    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);

    if (cc == "newreno")
    {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    }
    else if (cc == "cubic")
    {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpCubic::GetTypeId()));
    }
    else
    {
        NS_ABORT_MSG("--cc: newreno or cubic, not " << cc);
    }
    if (recovery == "classic")
    {
        Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                           TypeIdValue(TcpClassicRecovery::GetTypeId()));
    }
    else if (recovery == "prr")
    {
        Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                           TypeIdValue(TcpPrrRecovery::GetTypeId()));
    }
    else
    {
        NS_ABORT_MSG("--recovery: classic or prr, not " << recovery);
    }
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1460));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(200)));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4 * 1024 * 1024));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(4 * 1024 * 1024));
    Config::SetDefault("ns3::TcpSocket::TcpNoDelay", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(1.0)));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(sack));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(true));

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(1500));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    p2p.SetQueue("ns3::DropTailQueue<Packet>",
                 "MaxSize",
                 QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queue)));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addresses.Assign(devs);
    TrafficControlHelper tch;
    tch.Uninstall(devs);

    if (!drop.empty())
    {
        Ptr<PacketNumberErrorModel> em = CreateObject<PacketNumberErrorModel>();
        std::stringstream list(drop);
        std::string item;
        while (std::getline(list, item, ','))
        {
            em->m_numbers.insert(std::stoull(item));
        }
        devs.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }
    else
    {
        for (int i = 0; i < 2; i++)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(loss);
            em->AssignStreams(100 + i);
            devs.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }

    uint16_t port = 5001;
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(ifs.GetAddress(1), port));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.SetAttribute("SendSize", UintegerValue(1460));
    ApplicationContainer src = bulk.Install(nodes.Get(0));
    src.Start(Seconds(0.0));
    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sink = sinkHelper.Install(nodes.Get(1));
    sink.Start(Seconds(0.0));
    NS_ABORT_MSG_UNLESS(sink.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&SinkRx)),
                        "the sink has no Rx trace");
    // BulkSend makes its socket when it starts, at t = 0, and sends the SYN at once; the
    // sender's traces are connected 1 ns later, before anything else happens.
    Simulator::Schedule(NanoSeconds(1), &HookSender, DynamicCast<BulkSendApplication>(src.Get(0)));

    Simulator::Stop(Seconds(stopTime));
    Simulator::Run();
    Simulator::Destroy();

    printf("completed            %s\n", g_senderAcked ? "yes" : "no");
    printf("transfer_time_s      %.9f\n", g_senderAcked ? g_ackedDone.GetSeconds() : 0.0);
    printf("goodput_mbps         %.3f\n",
           g_senderAcked ? (double)bytes * 8.0 / g_ackedDone.GetSeconds() / 1e6 : 0.0);
    printf("sim_completion_s     %.9f\n", g_sinkHasAll ? g_sinkDone.GetSeconds() : 0.0);
    printf("data_segs_sent       %" PRIu64 "\n", g_segs);
    printf("retx_segs            %" PRIu64 "\n", g_retx);
    printf("fast_recovery_eps    %" PRIu64 "\n", g_recoveries);
    printf("rto_eps              %" PRIu64 "\n", g_timeouts);
    printf("scripted_drops       %" PRIu64 "\n", g_scriptDrops);
    return g_senderAcked ? 0 : 2;
}
