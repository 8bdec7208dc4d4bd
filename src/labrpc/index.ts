export { Network, ClientEnd, MakeNetwork, summarize, type CallRecord, type CallOutcome, type NetworkObserver, type ServerName } from "./network.ts";
export { Server, MakeServer } from "./server.ts";
export { Service, MakeService, type Handler } from "./service.ts";
