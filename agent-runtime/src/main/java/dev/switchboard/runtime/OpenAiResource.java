package dev.switchboard.runtime;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The OpenAI-compatible API: routes appear as models. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiResource {

    /** Reported as every route-model's {@code created}: routes are loaded when the app starts. */
    private static final long STARTED = Instant.now().getEpochSecond();

    @Inject
    OpenAiChat chat;

    @Inject
    AgentService agents;

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public ChatCompletion completions(String body) {
        return chat.complete(JsonBodies.object(body));
    }

    @GET
    @Path("/models")
    public ModelList models() {
        return new ModelList("list", agents.routes().stream()
                .map(r -> new ModelList.Model(r.name(), "model", STARTED, "switchboard"))
                .toList());
    }

    /** OpenAI's model list. */
    record ModelList(String object, List<Model> data) {
        record Model(String id, String object, long created, String ownedBy) {
        }
    }
}
