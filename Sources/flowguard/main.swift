import FlowGuardCLI
import FlowGuardSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Connections, Kafka sockets and an embedded cluster's listeners are all file descriptors.
OpenFileLimit.raiseToHardLimit()
exit(await FlowGuardCLI.main(Array(CommandLine.arguments.dropFirst())))
