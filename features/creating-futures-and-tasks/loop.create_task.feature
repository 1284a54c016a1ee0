@loop.create_task @since:3.4.2
Feature: loop.create_task()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_task

  Background:
    Given a new event loop

  @param:coro
  Rule: "Schedule the execution of a coroutine. Return a Task object."

    Example: the result is an asyncio.Task
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C
      Then it returns an asyncio.Task

    Example: the coroutine starts when the loop runs, not in create_task
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C
      Then coroutine C has not started
      And the loop runs one iteration
      And coroutine C has started

  @since:3.8 @param:name
  Rule: "If the name argument is provided and not None, it is set as the name of the task using Task.set_name."

    Example: the task carries the name it was given
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C and the name "fetcher"
      Then its get_name() returns "fetcher"
