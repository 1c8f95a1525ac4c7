package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The native agent API. Bodies are read as text and parsed by {@link JsonBodies} for precise errors. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    @Inject
    AgentService agents;

    /** {@code {"message": "...", "session_id": "optional"}} → {@link AgentReply}. */
    @POST
    @Path("/agents/{route}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentReply message(@PathParam("route") String route, String body) {
        agents.route(route); // an unknown route is reported before problems of the body
        JsonNode json = JsonBodies.object(body);
        String message = JsonBodies.requiredText(json, "message");
        String sessionId = JsonBodies.optionalText(json, "session_id");
        return agents.message(route, message, sessionId);
    }

    @GET
    @Path("/agents/{route}/sessions/{id}")
    public AgentService.SessionView session(@PathParam("route") String route, @PathParam("id") String id) {
        return agents.sessionView(route, id);
    }

    @GET
    @Path("/routes")
    public RouteList routes() {
        return new RouteList(agents.routes().stream()
                .map(r -> new RouteList.Item(r.name(), r.definition().description(), r.definition().stepTypes(),
                        r.definition().escalateIntents()))
                .toList());
    }

    /** The response of {@code GET /v1/routes}. */
    record RouteList(List<Item> routes) {
        record Item(String name, String description, List<String> steps, List<String> escalateIntents) {
        }
    }
}
