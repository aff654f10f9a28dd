import FlowGuardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await FlowGuardCLI.main(Array(CommandLine.arguments.dropFirst())))
