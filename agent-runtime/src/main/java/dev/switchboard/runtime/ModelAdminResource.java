package dev.switchboard.runtime;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The model admin API: {@code GET /v1/admin/models}, {@code GET /v1/admin/models/{kind}/{name}},
 * {@code POST .../promote {"version", "reason"?, "by"?}}, {@code POST .../rollback {"reason"?, "by"?}},
 * {@code POST .../shadow {"version": "v1" | null}} (intent models only). The models are the registry models
 * the routes serve: intent models and slot taggers. Bodies are read as text for precise errors.
 * It has no authentication of its own: expose it only on an internal network.
 */
@Path("/v1/admin/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelAdminResource {

    @Inject
    Switchboard switchboard;

    private ModelAdmin admin() {
        return new ModelAdmin(switchboard);
    }

    @GET
    public ModelAdmin.ModelList list() {
        return admin().list();
    }

    @GET
    @Path("/{kind}/{name}")
    public ModelAdmin.ModelView show(@PathParam("kind") String kind, @PathParam("name") String name) {
        return admin().show(kind, name);
    }

    @POST
    @Path("/{kind}/{name}/promote")
    public ModelAdmin.ModelView promote(@PathParam("kind") String kind, @PathParam("name") String name, String body) {
        return admin().promote(kind, name, body);
    }

    @POST
    @Path("/{kind}/{name}/rollback")
    public ModelAdmin.ModelView rollback(@PathParam("kind") String kind, @PathParam("name") String name, String body) {
        return admin().rollback(kind, name, body);
    }

    @POST
    @Path("/{kind}/{name}/shadow")
    public ModelAdmin.ModelView shadow(@PathParam("kind") String kind, @PathParam("name") String name, String body) {
        return admin().shadow(kind, name, body);
    }
}
